# The load generator's JVM options, sourced by run-all.sh and pull-cpu.sh.
#
# C1 only for pushes, whose runs are short (a short-lived JVM otherwise spends half of its CPU in
# the C2 compiler, which the node and PostgreSQL need on a machine they share).
PUSH_LOAD_OPTS="-XX:TieredStopAtLevel=1"
# All tiers for reads, whose warm-ups are long enough for C2 to compile the loops: C2's code counts
# a pulled page's arrays with a fifth less CPU than C1's. C2 takes a method over after 1,000 calls
# instead of 5,000: code that runs once a request (the HTTP client's, the report's) otherwise
# reached C2 only while the run measured, 3,000 pages into it, and those compilations took a fifth
# of the load generator's CPU (async-profiler, bench/pull-cpu.sh).
READ_LOAD_OPTS="-XX:Tier4InvocationThreshold=1000 -XX:Tier4MinInvocationThreshold=200 -XX:Tier4CompileThreshold=2000"
