# Convenience targets over dev.sh (which works without make on a fresh machine).
.PHONY: start test deps build asan fuzz bench format
start: ; ./dev.sh start
test: ; ./dev.sh test
deps: ; ./dev.sh deps
build: ; ./dev.sh build
asan: ; ./dev.sh asan
fuzz: ; ./dev.sh fuzz
bench: ; ./dev.sh bench
format: ; clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]')
