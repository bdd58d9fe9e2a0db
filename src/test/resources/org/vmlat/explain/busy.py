# A known cause for the explain validation: after DELAY_MS as an ordinary task, become SCHED_FIFO PRIO pinned to
# CPU, spin BUSY_US on CLOCK_MONOTONIC, print the spin's first and last clock reads (ns), and exit.
import ctypes, os, sys, time
cpu, prio, busy_us, delay_ms = (int(a) for a in sys.argv[1:5])
ctypes.CDLL(None).prctl(15, b"vmlat-busy", 0, 0, 0)  # PR_SET_NAME: the name the trace shows
time.sleep(delay_ms / 1000)
os.sched_setaffinity(0, {cpu})
os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(prio))
clock = time.clock_gettime_ns
mono = time.CLOCK_MONOTONIC
start = clock(mono)
now = start
while now - start < busy_us * 1000:
    now = clock(mono)
os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
print(start, now, flush=True)
