/* The lab's stand-in for a shared library that errata replace (the guide's libwrap). */
#ifndef LAB_LIB_VERSION
#define LAB_LIB_VERSION "1"
#endif
const char *remedy_lab_lib_version(void) { return LAB_LIB_VERSION; }
