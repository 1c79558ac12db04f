/* platform: the typed, validated model of a cluster (GPUs, nodes, NVLink domains, racks,
 * PDUs, halls, sites, scale-out fabric, WAN, reliability and operations), read from YAML.
 * Every later stage reads this model; nothing writes back to it after validation. */
#ifndef TRAINSIM_PLATFORM_H
#define TRAINSIM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "efficiency.h"
#include "error.h"

enum pdu_redundancy { PDU_REDUNDANCY_N, PDU_REDUNDANCY_N_PLUS_1, PDU_REDUNDANCY_2N };
enum fabric_topology { FABRIC_RAIL_OPTIMIZED, FABRIC_TOP_OF_RACK };
enum shift_pattern { SHIFT_24X7, SHIFT_BUSINESS_HOURS };
enum failure_distribution { FAILURE_EXPONENTIAL, FAILURE_WEIBULL };
enum power_smoothing { SMOOTHING_NONE, SMOOTHING_RAMP, SMOOTHING_CAP };
/* What a failure does to the component it strikes: takes it down, lowers a link's
 * bandwidth (the job runs on, slower), or makes it flap (each flap a network timeout that
 * stops the job, until the link is isolated as down). */
enum failure_effect { EFFECT_DOWN, EFFECT_DEGRADE, EFFECT_FLAP };

/* Components a failure rate applies to, or a failure takes down. */
enum component {
	COMPONENT_GPU,
	COMPONENT_NODE,
	COMPONENT_DOMAIN, /* an NVLink domain: a node, or a rack-scale domain such as NVL72 */
	COMPONENT_NIC,
	COMPONENT_LINK,   /* one fiber of the scale-out fabric */
	COMPONENT_SWITCH,
	COMPONENT_RACK,
	COMPONENT_PDU,
	COMPONENT_HALL,
	COMPONENT_JOB,    /* software faults: take down the job, no hardware */
	COMPONENT_SITE,   /* a site: its halls (a campus-wide event) */
	COMPONENT_CLUSTER,/* the whole platform (a bad firmware or driver rollout) */
	COMPONENT_COUNT
};

struct gpu_spec {
	char *model;
	double peak_flops;          /* dense BF16 FLOP/s */
	double peak_fp8_flops;      /* dense FP8 FLOP/s; 0: the GPU has no FP8 tensor cores (or not given) */
	struct efficiency_spec efficiency; /* what its stack achieves (keys < 0: not given) */
	double hbm_bytes;
	double hbm_bandwidth_bytes_per_s; /* 0 when not given */
	double busy_w;
	double idle_w;
};

struct node_spec {
	long gpus;
	double host_busy_w; /* CPUs, memory, fans, NICs: everything but the GPUs */
	double host_idle_w;
	long nics;
	double nic_bandwidth_bytes_per_s; /* per NIC, each direction */
	double nic_latency_s;             /* NIC plus its fiber to the leaf */
};

struct nvlink_spec {
	long domain_gpus;              /* GPUs in one NVLink domain (8 per HGX node, 72 for NVL72) */
	double bandwidth_bytes_per_s;  /* per GPU, each direction */
	double latency_s;
};

struct rack_spec {
	long nodes;
	long pdus;
	double pdu_capacity_w;
	enum pdu_redundancy redundancy;
};

struct fabric_spec {
	enum fabric_topology topology;
	long leaf_nodes;              /* nodes under one leaf group (rail leaves, or one ToR) */
	long leaf_uplinks;            /* fibers from a full leaf group to the spines (0: from the ratio) */
	double leaf_oversubscription; /* downlink:uplink capacity at the leaves (3:1 -> 3) */
	double leaf_latency_s;        /* one switch hop plus fiber, leaf to spine */
	long spine_leaves;            /* leaf groups under one spine block (pod) */
	long spine_uplinks;           /* fibers from a full pod to the core (0: from the ratio) */
	double spine_oversubscription;/* downlink:uplink capacity at the spines, toward the core */
	double spine_latency_s;       /* spine to core hop */
	bool has_core;                /* three tiers: pods joined by a core in each site */
	double fiber_bandwidth_bytes_per_s; /* one switch-to-switch fiber */
};

struct hall {
	char *name;
	double feed_capacity_w;
	double ups_ride_through_s;
	long site;
	long yaml_site, yaml_hall; /* where in the YAML it was written: sites[yaml_site].halls[yaml_hall] */
	/* derived at validation: index ranges of what the hall holds */
	long racks, first_rack;
	long nodes, first_node;
	long domains, first_domain;
	long leaves, first_leaf;
	long pods, first_pod;
};

struct site {
	char *name;
	long yaml_site; /* index of the YAML entry it was expanded from */
	long halls, first_hall;
	long pods, first_pod;
	long nodes, first_node;
};

struct wan_link {
	long site_a, site_b;
	long yaml_entry;
	double bandwidth_bytes_per_s; /* each direction */
	double latency_s;
};

struct failure_class {
	char *name;
	enum component per;        /* the rate is per one of these */
	double rate_per_s;         /* mean failures per component per second */
	enum failure_distribution distribution;
	double weibull_shape;      /* < 1: infant mortality; > 1: wear-out */
	enum component takes_down;
	double detection_s;
	bool needs_technician;
	char *part;                /* spare part it consumes, or NULL */
	long part_index;           /* that part in operations.parts, or -1 (resolved at load) */
	double repair_mean_s;      /* hands-on repair time, lognormal */
	double repair_sigma;       /* lognormal shape (sigma of the log) */
	enum failure_effect effect;
	double degraded_fraction;  /* EFFECT_DEGRADE: share of the link's bandwidth left */
	long flaps;                /* EFFECT_FLAP: job interruptions before the link is isolated */
	double flap_interval_s;    /* EFFECT_FLAP: time between them */
	bool power_event;          /* raised by the power system, never drawn by the injector */
	/* correlated: a strike takes down this share of the nodes `takes_down` spans, drawn at
	 * random (1: all of them, as one group) */
	double hits;
	/* recurring until found: the class strikes at its rate until root-caused, a lognormal
	 * time (mean root_cause_s, shape root_cause_sigma) after its first strike (0: never found) */
	double root_cause_s;
	double root_cause_sigma;
	/* bad components: bad_fraction of them start bad and fail bad_factor times as often until
	 * a repair that works; a repair fails to fix (misdiagnosis) with this chance, and the
	 * component comes back bad */
	double bad_fraction;
	double bad_factor;
	double misdiagnosis;
	/* found late: the job runs on for an exponential time of this mean before the failure is
	 * found, then rolls back to its last checkpoint before the failure (0: found at once) */
	double silent_s;
	/* repair escalation: an automated repair of automated_s (no technician, no part) first;
	 * it fixes the fault with chance automated_fixes, else the manual repair follows */
	bool escalates;
	double automated_s;
	double automated_fixes;
	/* share of its rate at which it strikes a node not running the job (< 0: take
	 * operations.idle_failure_factor); only classes per gpu, node, domain or nic */
	double idle_factor;
};

/* The power system (the `power` section; `present` false: no power events simulated).
 * Each PDU carries an equal share of its rack's load; a rack stays up while its PDUs still
 * up can carry the load. */
struct power_spec {
	bool present;
	double gpu_transient;      /* GPU peak over busy power as a synchronized step ramps up */
	double restart_inrush;     /* GPU peak over busy power when the whole job relaunches */
	double trip_at;            /* peak load over a PDU's rating at which its breaker trips */
	double trip_tolerance;     /* spread of that point between breakers (relative sigma) */
	enum power_smoothing smoothing;
	double cap;                /* SMOOTHING_CAP: fraction of busy power the GPUs are held to */
	double grid_events_per_s;  /* grid transients per site */
	double grid_median_s;      /* their duration: lognormal median and sigma of the log */
	double grid_sigma;
	double hall_restart_s;     /* from the grid coming back to the hall's nodes up again */
	double cycle_break_probability; /* a node breaks when its power is cycled */
	char *cycle_part;          /* the part a node broken so needs, or NULL */
	double cycle_repair_s;
	double pdu_reset_s;        /* a technician's hands-on time to reset a tripped PDU */
	/* the failure classes the power system raises (indexes into platform.failures) */
	long grid_class, trip_class, cycle_class;
};

struct spare_part {
	char *name;
	long stock;
	double lead_time_s;
};

/* Retire a node at its `failures`-th failure within `within_s` (failures 0: never). */
struct retire_policy {
	long failures;
	double within_s;            /* INFINITY: over the whole run */
};

/* Nodes other work lends the job when it has no spare of its own: each takes preemption_s
 * from the ask to the job having it; one goes back when the node it stood in for is repaired. */
struct borrowed_pool {
	long nodes;                 /* 0: none */
	double preemption_s;
};

struct operations {
	long technicians_per_site;
	enum shift_pattern shift;
	double travel_s;
	double diagnosis_s;
	double burn_in_s;
	long hot_spare_nodes;
	double default_lead_time_s;
	struct spare_part *parts;
	size_t part_count;
	struct crew_change *crew_changes; /* technicians per site from dates on, in time order */
	size_t crew_change_count;
	struct retire_policy retire;
	struct borrowed_pool borrowed;
	double idle_failure_factor; /* share of the rate at which nodes not running the job fail (1: all the same) */
};

/* The racks of halls [first_hall, first_hall + halls) delivered from `at_s` after the run's
 * start (or from the calendar date at_epoch_s when `dated`: the workload's start date resolves
 * it), one after another evenly over `over_s` (0: all at once). first_rack and racks are
 * derived from the halls at validation. */
struct delivery {
	long first_hall, halls;
	long first_rack, racks;
	double at_s;
	bool dated;
	double at_epoch_s;
	double over_s;
	long yaml_entry;            /* bring_up.deliveries[yaml_entry] */
};

/* New capacity: the `bring_up` section (present false: every rack is in service at the
 * start). A delivered rack goes through acceptance: a technician's hands-on checks, then an
 * unattended burn-in under full power; each of its nodes may be dead on arrival and then
 * needs a repair (and its part) before the rack is in service. Racks in no delivery are in
 * service from the start. */
struct bring_up_spec {
	bool present;
	struct delivery *deliveries;
	size_t delivery_count;
	double acceptance_s;        /* hands-on per rack (firmware, cabling, network checks) */
	double acceptance_sigma;    /* lognormal shape of it (0: exactly acceptance_s) */
	double burn_in_s;           /* unattended, under full power */
	double dead_on_arrival;     /* probability that a node fails acceptance */
	char *doa_part;             /* the part such a node needs, or NULL */
	long doa_part_index;        /* that part in operations.parts, or -1 (resolved at load) */
	double doa_repair_s;        /* hands-on time to fix it */
};

/* Technicians per site from a date on (operations.technicians.grow). */
struct crew_change {
	double at_s;
	long per_site;
};

/* What the run costs (the `costs` section; present false: nothing about cost is reported),
 * in US dollars per SI unit. GPU time is paid for every GPU of the platform for the whole
 * wall-clock: a cluster reserved for the run is paid while the job waits. */
struct cost_spec {
	bool present;
	bool owned;                  /* gpu_capital written off over depreciation (else gpu_hour: rented) */
	double gpu_usd_per_s;        /* one GPU for one second: the rent, or capital over its life */
	double gpu_capital_usd;      /* owned: capital per GPU (0 when rented) */
	double depreciation_s;       /* owned: the life it is written off over, straight-line */
	double energy_usd_per_j;     /* facility energy */
	double pue;                  /* facility power over IT power (1: IT energy only) */
	double technician_usd_per_s; /* one technician on payroll */
	double *part_usd;            /* [operations.part_count]: one part used (0: not priced) */
	double holding_per_s;        /* carrying cost of the spares stock: share of its value per second */
};

/* Inventory derived from the description, for reports and the SimGrid stage. */
struct platform_counts {
	long gpus, nodes, domains, racks, pdus, halls, sites, leaves, pods;
	long nodes_per_domain;
};

struct platform {
	char *name;
	char *description;
	char *source;      /* file it was read from */
	struct gpu_spec gpu;
	struct node_spec node;
	struct nvlink_spec nvlink;
	struct rack_spec rack;
	struct fabric_spec fabric;
	struct site *sites;
	size_t site_count;
	struct hall *halls;
	size_t hall_count;
	struct wan_link *wan;
	size_t wan_count;
	struct failure_class *failures;
	size_t failure_count;
	struct operations operations;
	struct power_spec power;
	struct bring_up_spec bring_up;
	struct cost_spec costs;
	struct platform_counts counts;
};

struct ydoc;

/* True when `top` is a top-level key of the platform schema. */
bool platform_schema_has(const char *top);

/* Decode and validate the platform in `doc` (the document stays the caller's). On success
 * *out owns a new platform (free with platform_destroy); on failure err names
 * file:line:column. Files, built-in defaults and --set overrides are the scenario module's
 * business: this is the one way in. */
bool platform_from_doc(const struct ydoc *doc, struct platform **out, struct ts_error *err);

/* Free a platform; accepts NULL. */
void platform_destroy(struct platform *platform);

/* Name of a component kind as written in YAML ("gpu", "node", ...). */
const char *platform_component_name(enum component c);

/* ---- Derived figures (pure functions of a validated platform) ---- */

/* Nodes in leaf group `leaf` (the last group of a hall may be partial). */
long platform_leaf_nodes(const struct platform *p, long leaf);
/* Uplink capacity of a leaf group toward the spines, each direction. */
double platform_leaf_uplink_bytes_per_s(const struct platform *p, long leaf);
/* Uplink capacity of a pod toward the core, each direction (0 without a core). */
double platform_pod_uplink_bytes_per_s(const struct platform *p, long pod);
/* Scale-out capacity of one NVLink domain (all its NICs), each direction. */
double platform_domain_nic_bytes_per_s(const struct platform *p);
/* The hall, leaf group and pod holding node `node`. */
long platform_node_hall(const struct platform *p, long node);
long platform_node_leaf(const struct platform *p, long node);
long platform_leaf_pod(const struct platform *p, long leaf);
/* Our ids, each a dense index from 0: GPU -> node -> NVLink domain -> rack -> PDUs.
 * A rack's PDUs are pdus [rack * rack.pdus, (rack + 1) * rack.pdus). */
long platform_gpu_node(const struct platform *p, long gpu);
long platform_node_domain(const struct platform *p, long node);
long platform_node_rack(const struct platform *p, long node);
long platform_pdu_rack(const struct platform *p, long pdu);
long platform_rack_first_pdu(const struct platform *p, long rack);

/* Share of class fc's rate at which it strikes a node not running the job: its own
 * idle_failure_factor or the operations one for parts of nodes, 1 for anything else. */
double platform_class_idle_factor(const struct platform *p, const struct failure_class *fc);

/* IT power of one rack, all GPUs busy / idle. */
double platform_rack_busy_w(const struct platform *p);
double platform_rack_idle_w(const struct platform *p);
/* PDU capacity a rack can use without losing redundancy. */
double platform_rack_usable_pdu_w(const struct platform *p);

#endif
