/* Time arguments: the forms an operator types for "the minute around 10:03" or "the last quarter hour". */
#include "engine/time_arg.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_S 1000000000ll

/* Exactly n digits at *p, advanced past them. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* ".123456789" (1 to 9 digits, more are refused rather than rounded away) as nanoseconds. */
static bool fraction(const char **p, int64_t *ns)
{
	int64_t scale = NS_PER_S / 10;
	int n = 0;

	*ns = 0;
	if (**p != '.' && **p != ',')
		return true;
	(*p)++;
	while (isdigit((unsigned char)**p)) {
		if (++n > 9)
			return false;
		*ns += (**p - '0') * scale;
		scale /= 10;
		(*p)++;
	}
	return n > 0;
}

static int epoch(const char *s, int64_t *ns)
{
	char *end;
	long long sec;
	int64_t frac;

	if (!isdigit((unsigned char)*s))
		return -1;
	sec = strtoll(s, &end, 10);
	if (sec < 0 || sec > INT64_MAX / NS_PER_S - 1)
		return -1;
	s = end;
	if (!fraction(&s, &frac) || *s)
		return -1;
	*ns = (int64_t)sec * NS_PER_S + frac;
	return 0;
}

static int relative(const char *s, int64_t *ns)
{
	char *end;
	double v = strtod(s + 1, &end);
	struct timespec now;
	double unit;

	if (end == s + 1 || !(v >= 0) || v > 1e6)
		return -1;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	if (end[1])
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	*ns = (int64_t)now.tv_sec * NS_PER_S + now.tv_nsec + (*s == '-' ? -1 : 1) * (int64_t)(v * unit * 1e9);
	return 0;
}

/* "Z", "+01", "+0100", "+01:00" (or "-"); *has is false where no zone is given (local time). */
static bool zone(const char **p, bool *has, int *offset_s)
{
	int h = 0, m = 0, sign;

	*has = false;
	*offset_s = 0;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*has = true;
		return true;
	}
	if (**p != '+' && **p != '-')
		return true;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &h))
		return false;
	if (**p == ':')
		(*p)++;
	if (isdigit((unsigned char)**p) && !digits(p, 2, &m))
		return false;
	if (h > 23 || m > 59)
		return false;
	*has = true;
	*offset_s = sign * (h * 3600 + m * 60);
	return true;
}

static int iso8601(const char *s, int64_t *ns)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, off;
	int64_t frac = 0;
	bool has_zone;
	time_t t;

	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' || !digits(&s, 2, &d))
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
			return -1;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &sec) || !fraction(&s, &frac))
				return -1;
		}
	}
	if (!zone(&s, &has_zone, &off) || *s)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (has_zone) {
		t = timegm(&tm);
		t -= off;
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	/* mktime normalises 31 February into March: the date must come back as it was typed. */
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
		return -1;
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	*ns = (int64_t)t * NS_PER_S + frac;
	return 0;
}

int time_arg_parse(const char *s, int64_t *ns)
{
	if (!s || !*s)
		return -1;
	if (*s == '@')
		return epoch(s + 1, ns);
	if (!strcmp(s, "now"))
		return relative("-0s", ns);
	if (*s == '-' || *s == '+')
		return relative(s, ns);
	return iso8601(s, ns);
}
