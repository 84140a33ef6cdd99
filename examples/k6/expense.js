// API-R1 "Expense create + fetch list": each iteration creates one synthetic expense
// and then reads the first page of the list. Run by a costguard BenchRun: the operator
// supplies the executor, rate, duration and warm-up, and the URL as __ENV.TARGET_URL
// (…/expense). Locally: k6 run -e TARGET_URL=http://localhost:8080/expense expense.js
import http from 'k6/http';
import { check } from 'k6';

const url = __ENV.TARGET_URL;
if (!url) {
  throw new Error('TARGET_URL is not set (the BenchRun passes spec.target.url)');
}

// The load shape (scenarios, vus, duration, stages) comes from the BenchRun; thresholds and other options apply.
export const options = {
  thresholds: { checks: ['rate>0.99'] },
};

const CATEGORIES = ['travel', 'meals', 'software', 'office', 'training'];
const JSON_HEADERS = { 'Content-Type': 'application/json' };

function syntheticExpense() {
  // __VU and __ITER make every expense different without randomness
  const n = __VU * 100000 + __ITER;
  return {
    workspaceId: `ws-${n % 100}`,
    amount: Number((5 + (n % 995) + (n % 100) / 100).toFixed(2)),
    currency: 'EUR',
    category: CATEGORIES[n % CATEGORIES.length],
    description: `benchmark expense ${__VU}-${__ITER}`,
    incurredOn: '2026-11-20',
  };
}

export default function () {
  const created = http.post(url, JSON.stringify(syntheticExpense()), {
    headers: JSON_HEADERS,
    tags: { name: 'POST /expense' },
  });
  check(created, {
    'expense created': (r) => r.status === 200 || r.status === 201,
  });

  // one name for the paginated URL, so the query string does not split the metrics
  const list = http.get(`${url}?page=1&limit=20`, {
    tags: { name: 'GET /expense?page&limit' },
  });
  check(list, {
    'list status 200': (r) => r.status === 200,
    'list is JSON': (r) => {
      try {
        return r.json() !== null;
      } catch (e) {
        return false;
      }
    },
  });
}
