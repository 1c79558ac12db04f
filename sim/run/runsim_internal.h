/* runsim_internal: what the run simulation's files share (runsim.c: the run, the job and
 * the failure injector; runsim_crew.c: repair crews; runsim_power.c: PDUs, racks, halls
 * and the grid; runsim_links.c: degraded and flapping links). Not for use outside them. */
#ifndef TRAINSIM_RUNSIM_INTERNAL_H
#define TRAINSIM_RUNSIM_INTERNAL_H

#include <simgrid/forward.h>

#include "faults.h"
#include "flowsim.h"
#include "placement.h"
#include "power.h"
#include "rng.h"
#include "runsim.h"

/* Crews compare deadlines with the engine clock, which has rounded through a timer: a
 * microsecond of slack keeps a deadline from being missed by one ulp. */
#define TIME_EPSILON 1e-6

enum ticket_phase { TICKET_QUEUED, TICKET_WORKING, TICKET_PART_WAIT, TICKET_BURN_IN, TICKET_DONE };

struct ticket {
	long class_index, component;
	long first_node, node_count;
	bool holds_nodes;    /* keeps its nodes down until closed (not for a PDU or a degraded link) */
	long pdu;            /* the PDU it resets or replaces, or -1 */
	bool degrades;       /* its link runs degraded until closed */
	long part;           /* index into operations.parts, or -1 */
	bool detached;       /* its hardware left the job's slot for a standby */
	bool returns_standby;/* once repaired, that hardware joins the standby pool */
	bool waited_for_part;
	enum ticket_phase phase;
	double phase_end_s;  /* when WORKING or BURN_IN ends */
	double opened_s;
	struct ticket *next; /* in the crew's list */
	struct ticket *open_next; /* in the run's list of open tickets */
};

/* MSG_PACE: a link degraded or was mended, so the step time changed. */
enum message_kind { MSG_FAILURE, MSG_RESTORED, MSG_TICKET, MSG_PACE };

struct message {
	enum message_kind kind;
	long class_index;
	struct ticket *ticket;
};

/* A part's stock and the replacement orders on their way (arrival times, FIFO). */
struct part_stock {
	long stock;
	double *arrivals;
	size_t arrival_count, arrival_capacity;
};

struct run;

struct crew {
	struct run *run;
	long site;
	sg_mailbox_t mailbox;
	struct ticket *tickets; /* every open ticket of the site */
	long technicians_busy;
	struct rng rng;
};

struct run {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	struct steptime *st;
	const struct run_options *o;
	struct run_result *r;
	struct faults faults;
	struct placement pl;
	long *node_down;         /* open failures holding each node slot down */
	bool *in_job;            /* node slot used by the job */
	bool *internal_spare;    /* a platform node free to be swapped in */
	long standby;            /* standby nodes outside the platform (operations.spares.hot_nodes) */
	bool *spare_eligible;    /* a designated hot spare or a node the job once used */
	struct ticket *open_tickets;
	/* power: PDUs down (failures, trips) and what is dark for lack of power */
	long *pdu_down;
	long *rack_pdus_up;
	bool *rack_dark;
	long *hall_dark;
	bool *rack_in_job;
	long job_racks_by_up[65]; /* job racks by their count of PDUs up (rack.pdus <= 64) */
	struct rng power_rng;
	/* links running degraded, and the ticket that will mend each */
	struct cluster_state state;
	struct ticket **degraded_by;
	size_t degraded_capacity;
	/* while the job actor re-simulates its step in SimGrid, hosts are not turned off (a flow
	 * to a dead host would fail); what changed meanwhile is applied afterwards */
	bool hosts_frozen, hosts_stale;
	struct part_stock *parts;
	struct crew *crews;
	sg_mailbox_t job_mailbox;
	sg_actor_t injector;
	sg_actor_t *crew_actors;
	double step_time_s, healthy_step_s;
	double epoch_s;          /* schedule.start, for shifts */
	double origin_s;         /* engine clock when this replica started: its time 0 */
	double horizon_s;        /* the run's horizon, or the give-up point (see runsim_run) */
	bool job_done;
	struct ts_error *err;
	bool failed;
};


/* A mailbox an actor waits on, with or without a timeout. A wait that times out cancels its
 * receive, so no message is lost to it (the run tests would hang if one were). */
struct inbox {
	sg_mailbox_t mailbox;
};

/* ---- events, messages, nodes (runsim.c) ---- */
void rs_event_at(struct run *run, double at, const char *kind, const char *component, long index,
	const char *cause, const char *detail);
void rs_event(struct run *run, const char *kind, const char *component, long index, const char *cause,
	const char *detail);
void rs_send(sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t);
void rs_free_on_exit(int failed, void *data);
bool rs_inbox_wait(struct inbox *in, double timeout, struct message **m);
void rs_component_nodes(const struct platform *p, enum component c, long index, long *first, long *count);
void rs_update_host(struct run *run, long node);
void rs_nodes_down(struct run *run, long first, long count, int delta);
bool rs_job_hit(const struct run *run, long first, long count);

/* ---- failures (runsim.c) ---- */
long rs_site_of_node(const struct platform *p, long node);
void rs_failure_nodes(const struct platform *p, const struct failure_class *fc, long component, long *first,
	long *count);
void rs_count_failure(struct run *run, long class_index, long component);
struct ticket *rs_open_ticket(struct run *run, long class_index, long component, long first, long count,
	bool holds);
void rs_take_down(struct run *run, long class_index, long component);

/* ---- power (runsim_power.c) ---- */
void rs_rack_power_update(struct run *run, long rack, long class_index);
void rs_pdu_change(struct run *run, long pdu, int delta);
void rs_pdu_down(struct run *run, long class_index, long pdu);
void rs_peak_trips(struct run *run, enum power_peak peak);
double rs_step_trip_rate(const struct run *run);
void rs_step_trip(struct run *run);
void rs_update_job_racks(struct run *run);
void rs_grid_event(struct run *run, long hall, double duration_s);
void rs_grid_actor(int argc, char **argv);

/* ---- links (runsim_links.c) ---- */
void rs_degrade(struct run *run, long class_index, long component);
void rs_mend(struct run *run, struct ticket *t);
void rs_start_flapper(struct run *run, const struct failure_event *ev);

/* ---- repair crews (runsim_crew.c) ---- */
void rs_crew_actor(int argc, char **argv);

#endif
