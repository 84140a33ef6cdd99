-- wrk script for scripts/benchmark.sh wrk: POSTs the benchmark AdmissionReview (WRK_BODY names the file)
local f = assert(io.open(os.getenv("WRK_BODY") or "docs/bench-review.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
