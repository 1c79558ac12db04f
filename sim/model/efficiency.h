/* efficiency: the achieved efficiency of a GPU's hardware and software stack (matmul and
 * attention as fractions of peak, the shares of communication hidden behind compute). A
 * platform gives it per GPU (gpu.efficiency, calibrated per generation); a workload may
 * override any key (its efficiency section). One key table serves both files. */
#ifndef TRAINSIM_EFFICIENCY_H
#define TRAINSIM_EFFICIENCY_H

#include <stdbool.h>

#include "error.h"

struct ydoc;
struct ydoc_node;

/* A value below 0 means "not given" (see efficiency_unset). */
struct efficiency_spec {
	double matmul;       /* BF16 matmuls: achieved fraction of peak_bf16 */
	double fp8_matmul;   /* FP8 matmuls: achieved fraction of peak_fp8 */
	double attention;    /* attention core (BF16 always): achieved fraction of peak_bf16 */
	double tp_overlap;   /* share of TP communication hidden behind compute */
	double dp_overlap;   /* share of the DP gradient all-reduce hidden behind the backward */
	double ep_overlap;   /* share of the expert all-to-all hidden (DualPipe-like schedules) */
	double optimizer_s;  /* optimizer step time; 0: derived from HBM bandwidth */
};

/* The fraction keys, in the order of the struct (what `trainsim calibrate --fit` can fit). */
enum efficiency_key {
	EFF_MATMUL,
	EFF_FP8_MATMUL,
	EFF_ATTENTION,
	EFF_TP_OVERLAP,
	EFF_DP_OVERLAP,
	EFF_EP_OVERLAP,
	EFF_KEYS
};

/* Every key not given. */
void efficiency_unset(struct efficiency_spec *e);

/* A key's YAML name ("matmul", "tp_overlap", ...). */
const char *efficiency_key_name(enum efficiency_key k);
/* The key named `name`; false if there is none. */
bool efficiency_key_find(const char *name, enum efficiency_key *out);
/* The value of key k in e (a pointer into e). */
double *efficiency_at(struct efficiency_spec *e, enum efficiency_key k);
double efficiency_get(const struct efficiency_spec *e, enum efficiency_key k);
/* The range a key may take: [min, max]. */
void efficiency_range(enum efficiency_key k, double *min, double *max);

/* A yfield custom decoder for an efficiency mapping (dst: struct efficiency_spec, whose
 * keys not in the mapping are left as they are). */
bool efficiency_decode(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
		       struct ts_error *err);

/* The set a run uses: each key from `over` (the workload) if given, else from `under` (the
 * platform's GPU) if given, else the fallback: attention as matmul, fp8_matmul unset,
 * overlaps 0, optimizer derived. matmul may stay unset: the caller reports it. */
void efficiency_resolve(const struct efficiency_spec *over, const struct efficiency_spec *under,
			struct efficiency_spec *out);

#endif
