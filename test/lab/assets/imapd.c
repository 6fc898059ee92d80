/* remedy-imapd: an "imap-like" per-connection xinetd server. It greets, answers every line,
   and stays alive while its connection is open (until EOF or a LOGOUT line). */
#include <stdio.h>
#include <string.h>
const char *remedy_lab_lib_version(void);
int main(void) {
  char line[1024];
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("* OK remedy-lab imapd ready (lib %s)\r\n", remedy_lab_lib_version());
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "LOGOUT", 6) == 0 || strstr(line, " LOGOUT")) { printf("* BYE\r\n"); break; }
    printf("* OK %s", line);
  }
  return 0;
}
