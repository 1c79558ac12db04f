/* defaults: the built-in default platform and workload YAML (sim/defaults.c.in, compiled
 * in by meson), for loading without files and for hashing what was loaded. */
#ifndef TRAINSIM_DEFAULTS_H
#define TRAINSIM_DEFAULTS_H

extern const char default_platform_name[];
extern const char default_platform_yaml[];
extern const char default_workload_name[];
extern const char default_workload_yaml[];

#endif
