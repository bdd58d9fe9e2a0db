# A known cause for the explain validation: become SCHED_FIFO PRIO on CPU, spin BUSY_US on CLOCK_MONOTONIC, print the
# spin's first and last clock reads (ns), and exit. How it reaches CPU after DELAY_MS as an ordinary task:
#   ordinary  pinned to CPU as an ordinary task (the scheduler switches it in there), then raised to FIFO PRIO;
#   migrated  raised to FIFO PRIO on FROM_CPU first, then moved to CPU while it runs (the kernel migrates it there).
import ctypes, os, sys, time
cpu, prio, busy_us, delay_ms = (int(a) for a in sys.argv[1:5])
how = sys.argv[5] if len(sys.argv) > 5 else "ordinary"
ctypes.CDLL(None).prctl(15, b"vmlat-busy", 0, 0, 0)  # PR_SET_NAME: the name the trace shows
time.sleep(delay_ms / 1000)
if how == "migrated":
    os.sched_setaffinity(0, {int(sys.argv[6])})
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(prio))
    os.sched_setaffinity(0, {cpu})
else:
    os.sched_setaffinity(0, {cpu})
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(prio))
clock = time.clock_gettime_ns
mono = time.CLOCK_MONOTONIC
start = clock(mono)
now = start
while now - start < busy_us * 1000:
    now = clock(mono)
os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
print(start, now, os.sched_getaffinity(0) == {cpu}, flush=True)
