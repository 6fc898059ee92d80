/* remedy-lab-app: a user application (started by a non-root user) that maps libremedy-app.so.1. */
#include <unistd.h>
const char *remedy_lab_lib_version(void);
int main(void) {
  (void)remedy_lab_lib_version();
  for (;;) pause();
}
