/* workload: the typed, validated model of a pretraining run (model shape, token budget,
 * parallelism, efficiency, checkpoint and restart policy, job and schedule), read from
 * YAML and checked against the platform it will run on. */
#ifndef TRAINSIM_WORKLOAD_H
#define TRAINSIM_WORKLOAD_H

#include <stdbool.h>

#include "error.h"
#include "platform.h"

struct ydoc;

/* DualPipe: DeepSeek-V3's bidirectional pipeline (arXiv 2412.19437, section 3.2.1). */
enum pipeline_schedule { SCHEDULE_1F1B, SCHEDULE_INTERLEAVED, SCHEDULE_DUALPIPE };
enum precision { PRECISION_BF16, PRECISION_FP8 };
enum recompute { RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL };
enum failure_policy { ON_FAILURE_SPARE, ON_FAILURE_WAIT, ON_FAILURE_SHRINK };
enum mlp_kind { MLP_SWIGLU, MLP_GELU };

struct model_spec {
	double parameters;   /* total, including embeddings */
	long layers;
	long hidden;
	long ffn;
	long heads;
	long kv_heads;
	long vocab;
	long sequence;       /* tokens per sequence */
	enum mlp_kind mlp;   /* SwiGLU: 3 matrices of hidden x ffn; GELU: 2 */
	long head_dim;       /* per attention head; 0: hidden / heads */
	long q_rank;         /* multi-head latent attention (MLA): query compression rank, 0: none */
	long kv_rank;        /* MLA: key-value compression rank; 0: plain attention */
	long rope_dim;       /* MLA: decoupled rotary dimension of each query and key head */
	long experts;        /* routed experts per MoE layer; 0: dense */
	long active_experts; /* routed experts each token goes to */
	long shared_experts; /* experts every token goes through, on its own GPU (no all-to-all) */
	long expert_ffn;     /* intermediate size of one expert (0: ffn) */
	long dense_layers;   /* leading layers with a dense MLP of ffn (DeepSeek-V3: 3) */
	double imbalance;    /* tokens routed to the busiest expert-parallel rank over the mean (>= 1) */
};

struct training_spec {
	double tokens;            /* token budget */
	double global_batch;      /* tokens per optimizer step */
	enum precision precision;
};

struct parallelism_spec {
	long tp, cp, pp, dp, ep;
	long micro_batch;         /* sequences per micro-batch */
	enum pipeline_schedule schedule;
	long virtual_stages;      /* model chunks per GPU with the interleaved schedule (1 for 1F1B) */
	long first_stage_layers;  /* 0: as many as the others */
	long last_stage_layers;
	enum recompute recompute;
};

struct checkpoint_spec {
	bool interval_auto;       /* Daly's optimum from the MTBF */
	double interval_s;
	double size_bytes;        /* 0: derived from parameters and optimizer state */
	double write_bytes_per_s; /* storage, aggregate */
	double read_bytes_per_s;
	bool async;               /* training blocks only for the snapshot to host memory */
	double async_stall_s;     /* that blocking part of an asynchronous save */
};

struct restart_spec {
	double detection_s;       /* for failures whose class gives none */
	double relaunch_s;        /* scheduler relaunch and job initialisation */
};

struct job_spec {
	long gpus;
	long hot_spare_nodes;
	enum failure_policy on_failure;
	double start_with;  /* share of its DP replicas it starts with while capacity is brought up (1: all) */
	double grow_by;     /* a smaller job relaunches larger once this share more is ready (1: all of it) */
};

struct schedule_spec {
	char *start;              /* ISO date, YYYY-MM-DD */
	double start_epoch_s;
	double planned_s;         /* planned duration, 0 when not given */
};

struct workload {
	char *name;
	char *description;
	char *source;
	struct model_spec model;
	struct training_spec training;
	struct parallelism_spec parallelism;
	struct efficiency_spec efficiency;       /* what the step uses: the workload's keys over the platform's */
	struct efficiency_spec efficiency_given; /* the workload's own keys (< 0: not given) */
	struct checkpoint_spec checkpoint;
	struct restart_spec restart;
	struct job_spec job;
	struct schedule_spec schedule;
};

/* True when `top` is a top-level key of the workload schema. */
bool workload_schema_has(const char *top);

/* Decode the workload in `doc` (the caller's) and validate it against platform `p` (the GPUs
 * must fit in it, and the model in the GPUs' memory). On success *out owns a new workload
 * (free with workload_destroy); on failure err names file:line:column and the numbers
 * involved. Files, defaults and --set overrides are the scenario module's business. */
bool workload_from_doc(const struct ydoc *doc, const struct platform *p, struct workload **out, struct ts_error *err);

void workload_destroy(struct workload *w);

/* ---- Derived figures ---- */

/* Optimizer steps in the whole run (token budget / global batch, rounded up). */
double workload_steps(const struct workload *w);
/* Sequences per micro-batch times micro-batches: micro-batches per pipeline per step. */
long workload_micro_batches(const struct workload *w);
/* Model FLOPs per token, forward and backward (6 x dense-active parameters plus causal
 * attention), the numerator of MFU. */
double workload_flops_per_token(const struct workload *w);
/* Parameters active per token (all of them for a dense model). */
double workload_active_parameters(const struct workload *w);
/* Bytes of one checkpoint (weights, master weights and Adam moments unless given). */
double workload_checkpoint_bytes(const struct workload *w);
/* Parameters the shape (layers, hidden, ffn, heads, vocab, experts) implies. */
double workload_shape_parameters(const struct workload *w);
/* Matmul FLOPs of one token's forward pass through one layer (active experts only). */
double workload_layer_matmul_flops(const struct workload *w);
/* Attention-core FLOPs (QK^T and AV, causal) of one token's forward pass through one layer. */
double workload_layer_attention_flops(const struct workload *w);
/* The same for a dense layer (the leading layers of an MoE model, every layer of a dense one). */
double workload_dense_layer_matmul_flops(const struct workload *w);
/* Of workload_layer_matmul_flops, the routed experts' share (0 for a dense model). */
double workload_layer_routed_flops(const struct workload *w);
/* Layers on the busiest pipeline stage. */
long workload_stage_layers(const struct workload *w);

/* HBM one GPU needs, by part. */
struct memory_estimate {
	double weights_bytes, gradients_bytes, optimizer_bytes, activations_bytes, total_bytes;
};
struct memory_estimate workload_memory_per_gpu(const struct workload *w);

#endif
