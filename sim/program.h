/* sim/program.h — the instruction set and per-core programs the engine executes.
 *
 * A program is one instruction queue per pipe per core (AIC: MTE2 MTE1 CUBE FIXPIPE SCALAR; AIV:
 * MTE2 VECTOR MTE3 SCALAR).  Each pipe runs its queue in order; order across pipes is only what the
 * program states with set_flag/wait_flag, pipe barriers and cross-core flags.  Generators
 * (kernels/amla-program.c, tests) build programs with the sim_prog_* emitters; the engine
 * (sim/engine.c) runs them.  Costs of compute instructions are computed here from the preset, so
 * a program is self-describing; data transfers are timed by the engine (bandwidth sharing, L2).
 */
#pragma once

#include <glib.h>
#include "sim/bigmem.h"
#include "sim/hw.h"
#include "sim/trace/trace.h"

G_BEGIN_DECLS

typedef enum
{
  SIM_OP_DMA = 0,   /* data transfer src -> dst (timed by the engine) */
  SIM_OP_MMAD,      /* Cube matrix multiply-accumulate */
  SIM_OP_VECTOR,    /* Vector instruction(s) */
  SIM_OP_SCALAR,    /* scalar work */
  SIM_OP_SET_FLAG,  /* set (src pipe -> dst pipe, event id), executes on src pipe */
  SIM_OP_WAIT_FLAG, /* wait (src pipe -> dst pipe, event id), executes on dst pipe */
  SIM_OP_BARRIER,   /* pipe_barrier(PIPE_ALL): every pipe of the core reaches it before any goes on */
  SIM_OP_CROSS_SET, /* cross-core set (AIC <-> its AIVs) */
  SIM_OP_CROSS_WAIT,
  SIM_OP_ALLOC,     /* reserve buffer bytes (capacity checked), zero time */
  SIM_OP_FREE,      /* release buffer bytes, zero time */
  SIM_OP_SYNC_ALL,  /* all-core barrier (SyncAll): every instruction with this id must arrive */
} SimOp;

#define SIM_MAX_CROSS_FLAGS 16 /* cross-core flag ids 0..15 */

typedef enum
{
  SIM_MEM_GM = 0,
  SIM_MEM_L1,
  SIM_MEM_L0A,
  SIM_MEM_L0B,
  SIM_MEM_L0C,
  SIM_MEM_UB,
  SIM_N_MEMS
} SimMem;

const char *sim_mem_name (SimMem mem);

typedef enum
{
  SIM_ATOMIC_NONE = 0,
  SIM_ATOMIC_FP32,
  SIM_ATOMIC_INT32,
} SimAtomic;

typedef struct
{
  guint8 op;     /* SimOp */
  guint8 pipe;   /* SimPipe it executes on */
  guint8 stage;  /* SimStage */
  guint8 atomic; /* SimAtomic (DMA to GM) */
  guint8 src;    /* SimMem (DMA) / src pipe (flags) / buffer (ALLOC/FREE) */
  guint8 dst;    /* SimMem (DMA) / dst pipe (flags) */
  guint16 name;  /* program string id: instruction name shown in the trace */
  guint16 detail;/* program string id: buffer / flag / note */
  guint16 event; /* flag event id / cross-core flag id / DMA: SIM_DMA_* options */
  gint32 task;
  gint32 iter;
  guint32 bytes;   /* DMA / ALLOC / FREE; SET/WAIT_FLAG: the flag's key, (src * SIM_N_PIPES + dst)
                    * * max (event_ids, 1) + event (sim_prog_flag_key), found as it is written */
  union            /* 32 bytes in all: two instructions per cache line */
  {
    guint64 gm_tag; /* DMA: identity of a GM tile for the L2 model (0 = none); high 8 bits: die */
    struct
    {
      float cycles;  /* MMAD, VECTOR, SCALAR: fixed cost */
      guint32 flops; /* MMAD */
    };
  };
} SimInstr;

G_STATIC_ASSERT (sizeof (SimInstr) == 32);

/* A cross-core wait blocks the whole core (CrossCoreWaitFlag: "all instructions after it are
 * blocked"): every pipe stops at the point of the program where the wait was written until the
 * wait completes.  The emitters write programs in program order, so that point is each pipe's
 * queue length when the wait is emitted. */
typedef struct
{
  guint32 pos[SIM_N_PIPES]; /* per pipe: index of the first instruction after the wait */
  guint32 wait_pc;          /* index of the wait on its own pipe */
  guint8 pipe;              /* the pipe the wait sits on */
} SimFence;

typedef struct
{
  SimCoreKind kind;
  int index;      /* AIC i or AIV i (chip-wide) */
  int aic;        /* owning AIC index (itself for an AIC) */
  int die;
  /* Instruction i of pipe q (counted from the start of the program) is queue[q][i - base[q]]:
   * a streamed program (sim_program_set_source) drops what its run has retired, so base rises;
   * a built program keeps base 0.  Use sim_core_instr. */
  SimInstr *queue[SIM_N_PIPES];
  gsize n[SIM_N_PIPES];    /* instructions written so far (not reduced when retired ones go) */
  gsize base[SIM_N_PIPES];
  gsize cap[SIM_N_PIPES];
  SimFence *fences; /* one per cross-core wait, in program order (kept only when the preset's
                     * cross_wait_mode is SIM_CROSS_WAIT_CORE, the one mode that reads them) */
  gsize n_fences, cap_fences;
  /* program order: the pipe of every instruction as it was written, one byte each.  The Scalar
   * issues the program in this order into the per-pipe queues (SIM_CROSS_WAIT_ISSUE). */
  guint8 *order;
  gsize n_order, cap_order, order_base; /* entry i is order[i - order_base] */
  gboolean more;                        /* a streamed core whose source has more to write */
  guint32 stream_pipes;                 /* a streamed core: the pipes its source writes to; a
                                         * built one: pipe_mask (so the emitters' check of the
                                         * pipe needs no test of whether it streams) */
  /* the emit context stamped on the core's instructions (sim_prog_context): the core's own, so
   * the cores of different partitions are written at once without sharing it */
  SimStage ctx_stage;
  gint32 ctx_task, ctx_iter;
  guint32 n_timed[SIM_N_PIPES]; /* DMA/MMAD/VECTOR/SCALAR per pipe: the spans a run records */
  gsize n_spans_hint[SIM_N_PIPES]; /* a streamed core: the spans its source expects (lane size) */
  guint32 pipe_mask;             /* bit q set: the core has pipe q */
  guint32 in_block; /* bit q: queue[q], bit SIM_N_PIPES: order, lies in SimProgram.block */
  guint64 flops;    /* MMAD flops written (per core: partitions write concurrently) */
} SimCore;

typedef struct
{
  int expected; /* instructions that arrive at this SyncAll id */
  int die;      /* the die of all of them, or -2 when they span dies */
} SimSyncInfo;

#define SIM_PROG_STRING_CHUNK 256 /* strings per chunk; 65536 ids in all */

typedef struct SimProgram
{
  const SimHw *hw;   /* not owned */
  SimCore *cores;    /* AIC 0..n_aic-1, then AIV 0..n_aiv-1 (AIV 2i, 2i+1 belong to AIC i) */
  int n_cores, n_aic, n_aiv;
  /* Strings, id -> char* (id 0 = ""): the partitions of a streamed run write cores at once, so a
   * string is added under `lock` and read without it: chunks that never move, and n_strings
   * published (release) once the string is in place.  sim_program_string / _n_strings. */
  char **string_chunks[65536 / SIM_PROG_STRING_CHUNK];
  guint n_strings;
  GHashTable *string_ids; /* under lock */
  /* internal: interning fast path, per slot (name pointer << 16 | id), 0 = empty: one word, so
   * a reader without the lock sees a pair that belongs together */
  guint64 *name_cache;
  gboolean static_names; /* sim_program_set_static_names */
  guint16 *flag_names;   /* internal: flag instruction names (0 = not yet interned) */
  /* kept by the emitters, so the engine need not walk every instruction before a run */
  char *invalid;       /* the first malformed instruction (the run fails with it), or NULL;
                        * set under lock, stored with release: refills look without it */
  gboolean cross_die;  /* a transfer into another die's memory or a SyncAll across dies */
  GArray *sync;        /* SimSyncInfo per SyncAll id (a streamed program declares them all) */
  /* streamed programs (sim_program_set_source) */
  gboolean (*source) (struct SimProgram *prog, SimCore *core, gpointer data);
  gpointer source_data;
  GDestroyNotify source_free;
  /* a new stream of the same program from its start (sim_program_set_twin), or NULL */
  struct SimProgram *(*twin) (gpointer source_data);
  gboolean sync_declared; /* the source declared SyncAll counts: the emitters do not count */
  /* partitions on threads share the program: held for what is rare and short (a new string, an
   * invalid instruction, the engine mapping new strings into its trace), never for a refill */
  GMutex lock;
  SimBigMem block;        /* queues reserved at once (sim_program_reserve_block) */
} SimProgram;

static inline const SimInstr *
sim_core_instr (const SimCore *c, int pipe, gsize i)
{
  return &c->queue[pipe][i - c->base[pipe]];
}

/* An entry of SimCore.order: the pipe, and what the Scalar's issue needs to know without reading
 * the instruction (it is then not fetched for most of the program). */
#define SIM_ORDER_PIPE 0x07u
#define SIM_ORDER_SLOT 0x08u    /* takes a place in its pipe's queue */
#define SIM_ORDER_SPECIAL 0x10u /* a cross-core wait or pipe_barrier(ALL): issue reads it */
G_STATIC_ASSERT (SIM_N_PIPES <= 8);

static inline guint8
sim_core_order_entry (const SimCore *c, gsize i)
{
  return c->order[i - c->order_base];
}

static inline int
sim_core_order (const SimCore *c, gsize i)
{
  return c->order[i - c->order_base] & SIM_ORDER_PIPE;
}

/* A streamed program: instead of every instruction written before the run, `source` writes a
 * core's next piece (with the sim_prog_* emitters, on that core only) each time the engine has
 * issued everything written so far, and returns FALSE when the core's program is complete.  The
 * engine drops retired instructions, so memory follows the work in flight, not the run; the
 * result is the one the whole program would give.  The partitions of a run refill their cores at
 * once, on their own threads, without a lock: a source may keep state per core (or per die) but
 * must not share anything else it writes between cores of different dies; the emitters keep
 * theirs per core (the emit context, flops) or lock it (new strings, errors).  What the engine
 * needs before the run must be declared: SyncAll counts
 * (sim_program_declare_sync); a streamed transfer into another die's memory is refused.  Only the
 * issue model streams (SIM_CROSS_WAIT_ISSUE); for the others the engine writes every core out
 * first.  A streamed program runs once. */
void sim_program_set_source (SimProgram *prog,
                             gboolean (*source) (SimProgram *prog, SimCore *core, gpointer data),
                             gpointer data, GDestroyNotify free_data);
/* A source that can start over: `twin` returns a new streamed program that writes exactly what
 * this one writes, core by core and piece by piece, whatever order its cores are read in (NULL
 * when it cannot).  The engine reads a twin's cores one after the other, to prove two dies run
 * the same program, and then simulates one of them (see sim_engine_run); it does not compare the
 * twin with the run, so a twin that writes anything else gives wrong results.  A source whose
 * pieces do not depend on when they are asked for (the AMLA kernel's: /amla/streamed-equals-built
 * runs them in simulated-time order against a program written core after core) has a twin for
 * the asking. */
void sim_program_set_twin (SimProgram *prog, SimProgram *(*twin) (gpointer source_data));
/* The source's twin of a streamed program, or NULL. */
SimProgram *sim_program_new_twin (const SimProgram *prog);
void sim_program_declare_sync (SimProgram *prog, int barrier_id, int expected, int die);
/* Run the source of one core once: FALSE when it has nothing more.  The engine's call (cores of
 * different partitions concurrently); also writes a whole program out for inspection (tests). */
gboolean sim_program_refill (SimProgram *prog, SimCore *core);
/* Every core's source run to the end: the program is then an ordinary built program. */
void sim_program_fill (SimProgram *prog);
/* Drop the instructions of each pipe q before keep[q] and the order entries before order_keep
 * (the engine's retired ones), when that frees enough to be worth the move. */
void sim_core_drop_before (SimCore *core, const gsize keep[SIM_N_PIPES], gsize order_keep);
/* Give the queue memory of a core that is read to its end (`from`: nothing of it is read again)
 * to a core not written yet (`to`), so that a reader going core after core does not grow a new
 * set of queues for each (the engine's reading of a twin). */
void sim_core_pass_queues (SimCore *from, SimCore *to);

SimProgram *sim_program_new (const SimHw *hw);
void sim_program_free (SimProgram *prog);
guint16 sim_program_intern (SimProgram *prog, const char *s); /* takes prog->lock */
/* The caller promises that every name it passes to the emitters is a string that never changes
 * while the program lives (a literal): a name is then known by its address, with no string
 * compare per instruction.  Generators that build names in buffers must not call it. */
void sim_program_set_static_names (SimProgram *prog);
/* Any thread, without the lock: strings are never moved or changed once added. */
const char *sim_program_string (const SimProgram *prog, guint16 id);
guint sim_program_n_strings (const SimProgram *prog);
/* MMAD flops written so far, all cores. */
guint64 sim_program_flops (const SimProgram *prog);
SimCore *sim_program_aic (SimProgram *prog, int aic);
SimCore *sim_program_aiv (SimProgram *prog, int aic, int sub); /* sub 0/1 */
/* Inline: a generator asks it for its per-core state at every step (kernels/amla-program.c cg). */
static inline int
sim_program_core_id (const SimProgram *prog, const SimCore *core)
{
  return (int) (core - prog->cores);
}
/* Reserve room for n instructions on a pipe (a generator that knows its sizes avoids regrowth). */
void sim_program_reserve (SimCore *core, SimPipe pipe, gsize n);
/* Reserve room for every core at once, from one block (sim/bigmem.h: a few huge pages instead of
 * thousands of 4 KiB page faults): caps[core * SIM_N_PIPES + q] instructions of pipe q and
 * order_caps[core] order entries; a queue that already has that room keeps its own.  A queue that
 * outgrows its room moves out of the block, as any queue grows. */
void sim_program_reserve_block (SimProgram *prog, const gsize *caps, const gsize *order_caps);
guint64 sim_program_instruction_count (const SimProgram *prog);

/* Context for the core's following emits. */
void sim_prog_context (SimProgram *prog, SimCore *core, SimStage stage, int task, int iter);

/* Emitters.  name is the label drawn in the span ("MMAD", "MOV GM->L1 K").  Return the new
 * instruction (valid until the next emit on that pipe), read-only: the emitters check each
 * instruction as it is written (flag ids, cross-die tags, capacity), so an edit afterwards would
 * go unchecked. */
const SimInstr *sim_prog_dma (SimProgram *p, SimCore *c, SimPipe pipe, SimMem src, SimMem dst,
                        guint32 bytes, guint64 gm_tag, SimAtomic atomic, const char *name);
/* DMA options (SimInstr.event of a DMA) */
#define SIM_DMA_STREAMED 1u /* continues the previous transfer of its pipe (unitFlag streaming):
                             * no start-up of its own, no place of its own in the pipe's queue */
/* A non-DMA instruction that is part of an instruction written before it (unitFlag: an MMAD's
 * later row strips and the per-unit flags between the Cube and the FixPipe, which the hardware
 * keeps per 512 B of L0C, not as instructions): it takes no place in its pipe's queue.  Kept in
 * SimInstr.atomic, which only DMAs use otherwise. */
#define SIM_INSTR_PART 0x80u

static inline gboolean
sim_instr_is_part (const SimInstr *in)
{
  return in->op == SIM_OP_DMA ? (in->event & SIM_DMA_STREAMED) != 0
                              : (in->atomic & SIM_INSTR_PART) != 0;
}

/* Mark the last instruction written on a pipe as a part of an earlier one (SIM_INSTR_PART):
 * below, inline. */
static inline void sim_prog_mark_part (SimProgram *p, SimCore *c, SimPipe pipe);
const SimInstr *sim_prog_dma_ex (SimProgram *p, SimCore *c, SimPipe pipe, SimMem src, SimMem dst,
                                 guint32 bytes, guint64 gm_tag, SimAtomic atomic, guint16 options,
                                 const char *name);
const SimInstr *sim_prog_mmad (SimProgram *p, SimCore *c, int m, int n, int k, const char *name);
/* cost = max(hw->vector_min_cycles, cycles_per_repeat * repeats); repeats from bytes per operand */
const SimInstr *sim_prog_vector (SimProgram *p, SimCore *c, double cycles_per_repeat, guint64 bytes,
                           const char *name);
const SimInstr *sim_prog_vector_cycles (SimProgram *p, SimCore *c, double cycles, const char *name);
const SimInstr *sim_prog_scalar (SimProgram *p, SimCore *c, double cycles, const char *name);
void sim_prog_barrier (SimProgram *p, SimCore *c); /* PIPE_ALL: emitted on every pipe */
/* Cross-core flags, mode 2: an AIC set increments the flag on both its AIVs; an AIV set counts
 * towards the AIC's flag, which increments when both AIVs have set.  pipe: the queue it sits in. */
void sim_prog_cross_set (SimProgram *p, SimCore *c, SimPipe pipe, int flag_id, const char *name);
void sim_prog_cross_wait (SimProgram *p, SimCore *c, SimPipe pipe, int flag_id, const char *name);
void sim_prog_sync_all (SimProgram *p, SimCore *c, SimPipe pipe, int barrier_id);

/* Record and replay: a generator that writes the same run of instructions many times (a tile's
 * L0 step: tens of thousands in a default run, a dozen emits each) writes it once with the
 * emitters, records it, and copies the record after: each emit's checks, name lookups and
 * reloads of the core's queue state cost several times the copy.  A replay writes exactly what
 * the emitters wrote (queues, order entries with their part marks, n_timed, flops), with the
 * core's emit context of the moment.  A record may be replayed on any core of the die it was
 * taken on (its checks, such as the die of a transfer, were made there).  A run that marks an
 * instruction written before it as a part, writes a SyncAll or a fenced cross-core wait, or changes
 * the emit context cannot be recorded (sim_prog_record returns NULL for the last three). */
typedef struct
{
  gsize n[SIM_N_PIPES];
  gsize n_order, n_fences;
  guint32 n_timed[SIM_N_PIPES];
  guint64 flops;
} SimProgMark;

typedef struct SimProgRecord SimProgRecord;

void sim_prog_mark (const SimCore *c, SimProgMark *m);
/* The instructions c has written since m, or NULL when they cannot be replayed. */
SimProgRecord *sim_prog_record (const SimCore *c, const SimProgMark *m);
/* Not const: the record takes the context it is replayed in. */
void sim_prog_replay (SimProgram *p, SimCore *c, SimProgRecord *r);
/* Tags: a record's transfers with a GM tag (sim_prog_dma's gm_tag, not 0), in program order,
 * may take other tags in a replay: a run that differs only in the GM tiles it moves is then one
 * record, and may be replayed on any core of the die (the die of the new tags is checked as the
 * emitters check it). */
guint sim_prog_record_n_tags (const SimProgRecord *r);
/* Whether the record's tagged transfers have these tags (a generator's check of the tags it
 * will give replays). */
gboolean sim_prog_record_has_tags (const SimProgRecord *r, const guint64 *tags, guint n_tags);
void sim_prog_replay_tags (SimProgram *p, SimCore *c, SimProgRecord *r, const guint64 *tags,
                           guint n_tags);
void sim_prog_record_free (SimProgRecord *r);
/* sim_prog_set_flag, sim_prog_wait_flag, sim_prog_alloc and sim_prog_free: below, inline. */

/* GM tile identities for the L2 model. */
static inline guint64
sim_gm_tag (int die, guint32 region, guint64 offset)
{
  return ((guint64) (die & 0xff) << 56) | ((guint64) (region & 0xffff) << 40)
         | (offset & 0xffffffffffULL);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimProgram, sim_program_free)

/* ---- the hottest emitters, inline: a run writes about a million flags and buffer alloc/frees,
 * and a call each cost a fifth of their writing.  The checks and the slow paths (first use of a
 * name, growth, errors) are program.c's; nothing else should use the _sim_prog_ names. ---- */

/* Slots of the name cache: a slot per byte address, so that literals within 8 KiB of each other
 * (a generator's names sit together in .rodata) never share a slot.  With a slot per 8 bytes,
 * two short literals in one 8-byte block did, and evicted each other on every use ("Exp" and
 * "BlockReduceSum": 25 k interning slow paths, 1 % of a default run). */
#define SIM_PROG_NAME_CACHE 8192
#define SIM_PROG_FLAG_NAME_IDS 64

/* For the emitters GCC would not inline at -O2 (set/wait_flag at their ~40 call sites in the
 * generator): a call, its register saves and its arguments cost a fifth of each, and inlined
 * they fold the constant pipes of most call sites into the checks. */
#if defined(__GNUC__) || defined(__clang__)
#define SIM_PROG_ALWAYS_INLINE __attribute__ ((always_inline))
#else
#define SIM_PROG_ALWAYS_INLINE
#endif

/* What each op's order entry carries: ALLOC/FREE are bookkeeping, a cross-core wait and the
 * barrier are the Scalar's own: none takes a queue place (a part, marked later, gives its place
 * back: _sim_prog_mark_order_part).  A switch, not a table: every emitter's op is a constant,
 * so this folds to a constant where it is inlined (an extern table is a load per instruction). */
static inline guint8
_sim_prog_order_bits (SimOp op)
{
  switch (op)
    {
    case SIM_OP_BARRIER:
    case SIM_OP_CROSS_WAIT:
      return SIM_ORDER_SPECIAL;
    case SIM_OP_ALLOC:
    case SIM_OP_FREE:
      return 0;
    default:
      return SIM_ORDER_SLOT;
    }
}

guint16 _sim_prog_intern_slow (SimProgram *p, const char *name, guint slot);
void _sim_prog_wrong_pipe (SimProgram *p, SimCore *c, SimPipe pipe);
void _sim_prog_grow (SimCore *c, SimPipe pipe);
guint16 _sim_prog_flag_name_slow (SimProgram *p, gboolean set, SimPipe src, SimPipe dst, int id);
void _sim_prog_bad_flag (SimProgram *p, int event_id);

/* Names are mostly literals: a pointer-keyed cache skips the hash; with static names (the
 * caller's promise) the pointer alone identifies the string, else a strcmp checks it.  Read
 * without a lock (partitions write their cores at once): a slot is one word, filled only once its
 * string has an id (acquire pairs with the release that fills it). */
static inline guint16
_sim_prog_intern (SimProgram *p, const char *name)
{
  if (name == NULL)
    return 0;
  guint slot = (guint) ((guintptr) name % SIM_PROG_NAME_CACHE);
  guint64 e = __atomic_load_n (&p->name_cache[slot], __ATOMIC_ACQUIRE);
  if (G_LIKELY (p->static_names && e >> 16 == (guint64) (guintptr) name))
    return (guint16) e;
  return _sim_prog_intern_slow (p, name, slot);
}

/* Append an instruction with the emit context and the name id; the caller fills the rest.
 * Written so that each field of the core is loaded once: the order entry is stored through a
 * guint8 pointer, which may alias anything, so it is stored last (a store before the other
 * loads would make the compiler load them again). */
static inline SimInstr *
_sim_prog_emit (SimProgram *p, SimCore *c, SimPipe pipe, SimOp op, guint16 name)
{
  g_assert (pipe >= 0 && pipe < SIM_N_PIPES);
  guint32 allowed = c->pipe_mask & c->stream_pipes; /* stream_pipes: pipe_mask unless streamed */
  if (G_UNLIKELY (!(allowed >> pipe & 1)))
    _sim_prog_wrong_pipe (p, c, pipe);
  gsize n = c->n[pipe], n_order = c->n_order;
  if (G_UNLIKELY (n - c->base[pipe] == c->cap[pipe] || n_order - c->order_base == c->cap_order))
    _sim_prog_grow (c, pipe);
  SimInstr *in = &c->queue[pipe][n - c->base[pipe]];
  guint8 *order = &c->order[n_order - c->order_base];
  c->n_timed[pipe] += op <= SIM_OP_SCALAR;
  c->n[pipe] = n + 1;
  c->n_order = n_order + 1;
  *in = (SimInstr){ .op = op,
                    .pipe = pipe,
                    .stage = c->ctx_stage,
                    .task = c->ctx_task,
                    .iter = c->ctx_iter,
                    .name = name };
  *order = (guint8) (pipe | _sim_prog_order_bits (op));
  return in;
}

static inline guint16
_sim_prog_flag_name (SimProgram *p, gboolean set, SimPipe src, SimPipe dst, int id)
{
  if (G_LIKELY ((guint) id < SIM_PROG_FLAG_NAME_IDS && (guint) src < SIM_N_PIPES
                && (guint) dst < SIM_N_PIPES))
    {
      /* filled once (release) after its string has an id, read without a lock */
      guint16 n = __atomic_load_n (
          &p->flag_names[((set * SIM_N_PIPES + src) * SIM_N_PIPES + dst) * SIM_PROG_FLAG_NAME_IDS
                         + id],
          __ATOMIC_ACQUIRE);
      if (G_LIKELY (n != 0))
        return n;
    }
  return _sim_prog_flag_name_slow (p, set, src, dst, id);
}

static inline void
_sim_prog_check_flag (SimProgram *p, SimPipe src, SimPipe dst, int event_id)
{
  int n_ids = MAX (p->hw->event_ids, 1);
  if (G_UNLIKELY (event_id < 0 || event_id >= n_ids || src < 0 || src >= SIM_N_PIPES || dst < 0
                  || dst >= SIM_N_PIPES))
    _sim_prog_bad_flag (p, event_id);
}

/* A flag's index among a core's flags (src, dst, id): SimInstr.bytes of its set and wait. */
static inline guint32
sim_prog_flag_key (const SimProgram *p, SimPipe src, SimPipe dst, int event_id)
{
  return (guint32) (((int) src * SIM_N_PIPES + (int) dst) * MAX (p->hw->event_ids, 1) + event_id);
}

/* set_flag(src, dst, id): executes on src */
static inline SIM_PROG_ALWAYS_INLINE void
sim_prog_set_flag (SimProgram *p, SimCore *c, SimPipe src, SimPipe dst, int event_id)
{
  SimInstr *in = _sim_prog_emit (p, c, src, SIM_OP_SET_FLAG,
                                 _sim_prog_flag_name (p, TRUE, src, dst, event_id));
  in->src = src;
  in->dst = dst;
  in->event = (guint16) event_id;
  in->bytes = sim_prog_flag_key (p, src, dst, event_id);
  _sim_prog_check_flag (p, src, dst, event_id);
}

/* wait_flag(src, dst, id): executes on dst */
static inline SIM_PROG_ALWAYS_INLINE void
sim_prog_wait_flag (SimProgram *p, SimCore *c, SimPipe src, SimPipe dst, int event_id)
{
  SimInstr *in = _sim_prog_emit (p, c, dst, SIM_OP_WAIT_FLAG,
                                 _sim_prog_flag_name (p, FALSE, src, dst, event_id));
  in->src = src;
  in->dst = dst;
  in->event = (guint16) event_id;
  in->bytes = sim_prog_flag_key (p, src, dst, event_id);
  _sim_prog_check_flag (p, src, dst, event_id);
}

/* Reserve / release buffer bytes (capacity is checked when the run reaches them), zero time. */
static inline void
sim_prog_alloc (SimProgram *p, SimCore *c, SimPipe pipe, SimMem buf, guint32 bytes,
                const char *what)
{
  SimInstr *in = _sim_prog_emit (p, c, pipe, SIM_OP_ALLOC, _sim_prog_intern (p, what));
  in->src = buf;
  in->bytes = bytes;
}

static inline void
sim_prog_free (SimProgram *p, SimCore *c, SimPipe pipe, SimMem buf, guint32 bytes, const char *what)
{
  SimInstr *in = _sim_prog_emit (p, c, pipe, SIM_OP_FREE, _sim_prog_intern (p, what));
  in->src = buf;
  in->bytes = bytes;
}

/* The last instruction written on a pipe became a part: its order entry takes no queue place
 * (found from the end: mostly the last entry, or one of the last few).  Inline: the unitFlag
 * parts of a tile mark about 90 k instructions in a default run. */
static inline void
_sim_prog_mark_order_part (SimCore *c, SimPipe pipe)
{
  for (gsize i = c->n_order; i > c->order_base; i--)
    if ((c->order[i - 1 - c->order_base] & SIM_ORDER_PIPE) == (guint) pipe)
      {
        c->order[i - 1 - c->order_base] &= (guint8) ~SIM_ORDER_SLOT;
        return;
      }
}

static inline void
sim_prog_mark_part (SimProgram *p, SimCore *c, SimPipe pipe)
{
  g_return_if_fail (c->n[pipe] > c->base[pipe]);
  SimInstr *in = &c->queue[pipe][c->n[pipe] - 1 - c->base[pipe]];
  if (in->op == SIM_OP_DMA)
    in->event |= SIM_DMA_STREAMED;
  else
    in->atomic |= SIM_INSTR_PART;
  _sim_prog_mark_order_part (c, pipe);
  (void) p;
}

G_END_DECLS
