/* -Z: give up root for a named user before any output file exists. */
#ifndef TD_PRIVS_H
#define TD_PRIVS_H

#include "common/errbuf.h"

/* Switch groups, gid and uid to user's; 0 or -errno with a message in errbuf (TD_ERRBUF_SIZE bytes). */
int privs_drop(const char *user, char *errbuf);

#endif
