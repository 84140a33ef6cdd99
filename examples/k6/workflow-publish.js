// API-R2 "Workflow publish": each iteration POSTs a ~5 KB DAG definition to the
// workflow API. Run by a costguard BenchRun: the operator supplies the executor, rate,
// duration and warm-up, and the URL as __ENV.TARGET_URL (…/workflow).
import http from 'k6/http';
import { check } from 'k6';

const url = __ENV.TARGET_URL;
if (!url) {
  throw new Error('TARGET_URL is not set (the BenchRun passes spec.target.url)');
}

// Init context: build the same DAG in every VU, growing a chain of steps until the
// document is about 5 KB. No randomness, so every run publishes the same payload size.
const KINDS = ['sql', 'branch', 'transform', 'http', 'sleep'];
const TARGET_BYTES = 5 * 1024;

function buildDag() {
  const dag = { version: 1, description: 'costguard API-R2 benchmark DAG', steps: [] };
  for (let i = 0; JSON.stringify(dag).length < TARGET_BYTES; i++) {
    const kind = KINDS[i % KINDS.length];
    dag.steps.push({
      id: `step-${i}`,
      kind: kind,
      dependsOn: i === 0 ? [] : [`step-${i - 1}`],
      config: {
        query: kind === 'sql' ? `select id, amount from expenses where workspace_id = $1 limit ${10 + i}` : undefined,
        condition: kind === 'branch' ? `steps["step-${i - 1}"].rows > 0` : undefined,
        timeoutSeconds: 30,
        retries: i % 3,
      },
    });
  }
  return dag;
}

const DAG = buildDag();
const JSON_HEADERS = { 'Content-Type': 'application/json' };

export default function () {
  // a distinct name per publish, so the API does not reject repeats as duplicates
  const doc = Object.assign({ name: `bench-publish-${__VU}-${__ITER}` }, DAG);
  const res = http.post(url, JSON.stringify(doc), {
    headers: JSON_HEADERS,
    tags: { name: 'POST /workflow' },
  });
  check(res, {
    'workflow published': (r) => r.status === 200 || r.status === 201,
  });
}
