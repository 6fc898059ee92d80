/* remedy-lab-init: PID 1 of the lab's sysv hosts. Starts the services listed in
   /etc/remedy-lab/sysv-services with their /etc/init.d scripts, reaps orphans, and on
   SIGINT (reboot) or SIGTERM/SIGPWR (poweroff) stops them in reverse order, kills what is left
   and calls reboot(2), which ends the PID namespace the way nspawn understands (SIGHUP = reboot). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t request; /* 0 none, 1 reboot, 2 poweroff */
static void on_reboot(int s) { (void)s; request = 1; }
static void on_poweroff(int s) { (void)s; request = 2; }
static void on_child(int s) { (void)s; }

static void run_scripts(const char *action) {
  char names[64][128];
  int n = 0;
  FILE *f = fopen("/etc/remedy-lab/sysv-services", "r");
  if (!f) return;
  while (n < 64 && fgets(names[n], sizeof names[n], f)) {
    names[n][strcspn(names[n], "\r\n")] = 0;
    if (names[n][0] && names[n][0] != '#') n++;
  }
  fclose(f);
  int stop = strcmp(action, "stop") == 0;
  for (int k = 0; k < n; k++) {
    const char *name = names[stop ? n - 1 - k : k];
    char path[256];
    snprintf(path, sizeof path, "/etc/init.d/%s", name);
    pid_t pid = fork();
    if (pid == 0) {
      sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, NULL);
      execl(path, path, action, (char *)NULL);
      _exit(127);
    }
    /* reap every child meanwhile: a stopped daemon (reparented to us) must not linger as a zombie,
       or start-stop-daemon --retry would wait for it until it gives up */
    for (pid_t got = 0; pid > 0 && got != pid;) {
      got = waitpid(-1, NULL, 0);
      if (got < 0 && errno != EINTR) break;
    }
  }
}

int main(void) {
  sigset_t block, none;
  sigemptyset(&block);
  sigaddset(&block, SIGINT); sigaddset(&block, SIGTERM); sigaddset(&block, SIGPWR);
  sigaddset(&block, SIGCHLD);
  sigemptyset(&none);
  signal(SIGINT, on_reboot);
  signal(SIGTERM, on_poweroff);
  signal(SIGPWR, on_poweroff);
  signal(SIGCHLD, on_child);
  setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setsid();
  fprintf(stderr, "remedy-lab-init: starting services\n");
  sigprocmask(SIG_BLOCK, &block, NULL);
  run_scripts("start");
  for (;;) {
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    if (request) break;
    sigsuspend(&none); /* wakes on SIGCHLD or a request */
  }
  int what = request;
  fprintf(stderr, "remedy-lab-init: %s\n", what == 1 ? "rebooting" : "powering off");
  run_scripts("stop");
  kill(-1, SIGTERM);
  for (int i = 0; i < 30; i++) {
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    if (kill(-1, 0) < 0 && errno == ESRCH) break; /* nothing left */
    usleep(100000);
  }
  kill(-1, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0) {}
  sync();
  reboot(what == 1 ? RB_AUTOBOOT : RB_POWER_OFF);
  return what == 1 ? 133 : 0;
}
