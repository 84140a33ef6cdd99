// LLM-R1 "stand-alone inference 256 tokens": each iteration sends one chat completion
// (OpenAI-style) to the Mistral-7B-Instruct adapter. Run by a costguard BenchRun: the
// operator supplies the executor, rate, duration and warm-up, and the URL as
// __ENV.TARGET_URL (…/v1/chat/completions).
import http from 'k6/http';
import { check } from 'k6';

const url = __ENV.TARGET_URL;
if (!url) {
  throw new Error('TARGET_URL is not set (the BenchRun passes spec.target.url)');
}

// A fixed set of prompts, picked by iteration: repeatable load without randomness.
const PROMPTS = [
  'Classify this expense and explain why: "Taxi from airport to hotel, 42.50 EUR".',
  'Summarise the travel policy rules that apply to a two-night conference trip.',
  'Write a short reminder to a colleague whose expense report is missing receipts.',
  'List three checks an approver should make before approving a software subscription.',
];
const JSON_HEADERS = { 'Content-Type': 'application/json' };

export default function () {
  const body = JSON.stringify({
    model: 'mistral-7b-instruct-adapter',
    messages: [
      { role: 'system', content: 'You are a concise assistant for an expense management product.' },
      { role: 'user', content: PROMPTS[__ITER % PROMPTS.length] },
    ],
    max_tokens: 256,
    temperature: 0,
  });
  const res = http.post(url, body, {
    headers: JSON_HEADERS,
    timeout: '60s',
    tags: { name: 'POST /v1/chat/completions' },
  });
  check(res, {
    'completion status 200': (r) => r.status === 200,
    'completion has a choice': (r) => {
      try {
        const choices = r.json('choices');
        return Array.isArray(choices) && choices.length > 0;
      } catch (e) {
        return false;
      }
    },
  });
}
