/* core/log — see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level g_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

int log_level_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

void log_set_level(enum log_level lvl)
{
    g_level = lvl;
}

enum log_level log_get_level(void)
{
    return g_level;
}

int log_enabled(enum log_level lvl)
{
    return lvl >= g_level;
}

void log_write(enum log_level lvl, const char *msg, const char *fmt, ...)
{
    if (lvl < g_level)
        return;
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s msg=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, level_names[lvl], msg);
    if (n < 0)
        return;
    if ((size_t)n < sizeof line - 2 && fmt[0] != '\0') {
        line[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
        va_end(ap);
        if (m > 0)
            n += m;
        else
            n--; /* nothing after msg ("%s", ""): no trailing space */
    }
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    fwrite(line, 1, (size_t)n, stderr);
}

const char *log_q(char *out, unsigned n, const char *s)
{
    if (n == 0)
        return "";
    if (s == NULL)
        s = "";
    int bare = s[0] != '\0';
    for (const char *p = s; *p && bare; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == '"' || c == '\\' || c == '=' || c >= 0x7f)
            bare = 0;
    }
    unsigned o = 0;
    if (!bare && o + 1 < n)
        out[o++] = '"';
    for (const char *p = s; *p && o + 5 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (unsigned)snprintf(out + o, n - o, "\\x%02x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (!bare && o + 1 < n)
        out[o++] = '"';
    out[o] = '\0';
    return out;
}
