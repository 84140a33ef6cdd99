// WF-R1 "5-step deterministic DAG": each iteration starts one run of
// SQL -> branch -> SQL -> sleep 1 s -> SQL and reads its result. Run by a costguard
// BenchRun: the operator supplies the executor, rate, duration and warm-up, and the URL
// as __ENV.TARGET_URL (…/runs).
import http from 'k6/http';
import { check } from 'k6';

const url = __ENV.TARGET_URL;
if (!url) {
  throw new Error('TARGET_URL is not set (the BenchRun passes spec.target.url)');
}

// The branch always takes the same path (a count is never negative), so every run
// executes all five steps, including the one-second sleep.
const DAG = {
  steps: [
    { id: 'load', kind: 'sql', query: 'select count(*) as n from expenses where workspace_id = $1' },
    { id: 'route', kind: 'branch', dependsOn: ['load'], condition: 'steps.load.n >= 0', then: 'enrich', else: 'end' },
    { id: 'enrich', kind: 'sql', dependsOn: ['route'], query: 'select category, sum(amount) from expenses where workspace_id = $1 group by category' },
    { id: 'pause', kind: 'sleep', dependsOn: ['enrich'], seconds: 1 },
    { id: 'record', kind: 'sql', dependsOn: ['pause'], query: 'select now() as finished_at' },
  ],
};
const JSON_HEADERS = { 'Content-Type': 'application/json' };

export default function () {
  const body = JSON.stringify({
    dag: DAG,
    params: { workspace_id: `ws-${(__VU + __ITER) % 100}` },
  });
  // wait=true: the engine answers when the run has finished, so one request's duration
  // is the run latency the p95 target is about, and the body carries the result.
  const res = http.post(`${url}?wait=true`, body, {
    headers: JSON_HEADERS,
    tags: { name: 'POST /runs?wait' },
  });
  check(res, {
    'run accepted': (r) => r.status === 200 || r.status === 201,
    'run succeeded': (r) => {
      try {
        return r.json('status') === 'succeeded';
      } catch (e) {
        return false;
      }
    },
  });
}
