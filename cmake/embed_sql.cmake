# Turns the SQL migration files (FILES, sorted) into a C file (OUT) defining
#   const struct store_migration store_migrations[]; const int store_migrations_count;
# Each file's bytes become a hex array so no escaping questions arise.
set(body "/* Generated from src/store/sql by cmake/embed_sql.cmake. Do not edit. */\n")
string(APPEND body "#include \"store/db.h\"\n\n")
set(table "const struct store_migration store_migrations[] = {\n")
set(i 0)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const char sql_${i}[] = {${hex}0x00};\n")
  string(APPEND table "    {\"${name}\", sql_${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND table "};\nconst int store_migrations_count = ${i};\n")
file(WRITE ${OUT}.tmp "${body}\n${table}")
file(RENAME ${OUT}.tmp ${OUT})
