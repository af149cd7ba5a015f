/* -Z: give up root for a named user before any output file exists. */
#ifndef TD_PRIVS_H
#define TD_PRIVS_H

/* Switch groups, gid and uid to user's; 0 or -errno with a message in errbuf (256 bytes). */
int privs_drop(const char *user, char *errbuf);

#endif
