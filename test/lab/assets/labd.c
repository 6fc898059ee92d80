/* remedy-labd: the lab's own long-running SysV service. Maps libwrap.so.0 and sleeps.
   Started by /etc/init.d/remedy-labd through start-stop-daemon (pidfile /run/remedy-labd.pid). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
const char *remedy_lab_lib_version(void);
static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }
int main(void) {
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  fprintf(stderr, "remedy-labd running, library version %s\n", remedy_lab_lib_version());
  while (!stop) pause();
  return 0;
}
