/*
 * core/log — leveled, one-line, key=value logging to stderr.
 *
 * Owns the process-wide log level. Every line is
 *   ts=2026-11-24T10:52:35.123Z level=info msg=... key=value ...
 * Values with spaces or quotes are quoted by the caller through log_q(); the
 * module itself never allocates. Safe to call from the thread pool (one
 * fprintf per line; stdio locks the stream).
 */
#ifndef SIARAN_CORE_LOG_H
#define SIARAN_CORE_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug", "info", "warn", "error"; returns -1 for anything else. */
int log_level_parse(const char *s);
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
int log_enabled(enum log_level lvl);

/* fmt holds the key=value part after msg (may be ""). */
void log_write(enum log_level lvl, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(msg, ...) log_write(LOG_DEBUG, msg, __VA_ARGS__)
#define log_info(msg, ...)  log_write(LOG_INFO, msg, __VA_ARGS__)
#define log_warn(msg, ...)  log_write(LOG_WARN, msg, __VA_ARGS__)
#define log_error(msg, ...) log_write(LOG_ERROR, msg, __VA_ARGS__)

/*
 * Writes s into out (size n) as a log value: bare if it has only safe
 * characters, otherwise double-quoted with \" \\ and control bytes escaped,
 * truncated to fit. Returns out.
 */
const char *log_q(char *out, unsigned n, const char *s);

#endif
