// End-to-end test of the fa2 binary with the official MCP TypeScript SDK
// client, over stdio and over Streamable HTTP with a bearer token. Run by
// e2e_test.go, which builds the binary and passes FA2_BIN and FA2_DEMO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const bin = process.env.FA2_BIN;
const demo = process.env.FA2_DEMO;
assert.ok(bin && demo, 'FA2_BIN and FA2_DEMO must be set');

// recordVersion captures the protocol version the client negotiates.
function recordVersion(transport, label) {
  const original = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (v) => {
    console.log(`negotiated MCP protocol version (${label}): ${v}`);
    transport.negotiated = v;
    original?.(v);
  };
}

// exercise runs the same conversation over any transport.
async function exercise(transport, label) {
  recordVersion(transport, label);
  const client = new Client({ name: 'fa2-e2e', version: '1.0.0' });
  await client.connect(transport);
  try {
    assert.match(transport.negotiated ?? '', /^\d{4}-\d{2}-\d{2}$/, 'a protocol version was negotiated');
    assert.equal(client.getServerVersion()?.name, 'fa2');

    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('query_logs'), `query_logs listed, got ${names}`);
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true, `${t.name} readOnlyHint`);
      assert.equal(t.annotations?.destructiveHint, false, `${t.name} destructiveHint`);
      assert.equal(t.inputSchema.type, 'object');
    }

    const started = Date.now();
    const res = await client.callTool({ name: 'query_logs', arguments: { mode: 'patterns', limit: 10 } });
    console.log(`query_logs patterns over ${label}: ${Date.now() - started} ms`);
    assert.notEqual(res.isError, true, JSON.stringify(res.content));
    const patterns = res.structuredContent?.patterns ?? [];
    assert.ok(patterns.length > 0, 'patterns returned');
    assert.match(patterns[0].template, /password authentication failed/, 'the root cause ranks first');
    assert.ok(res.structuredContent.matched > 10000, 'the whole window was covered');
    assert.match(res.content[0].text, /password authentication failed/);

    const alarms = await client.callTool({ name: 'get_alarms', arguments: { include_history: true } });
    assert.notEqual(alarms.isError, true, JSON.stringify(alarms.content));
    assert.ok(alarms.structuredContent?.suggested_window?.start, 'get_alarms suggests a window');

    const traces = await client.callTool({ name: 'get_traces', arguments: { filter_expression: 'fault' } });
    assert.notEqual(traces.isError, true, JSON.stringify(traces.content));
    assert.match(traces.content[0].text, /password authentication failed/, 'trace faults lead to the database');

    const badFilter = await client.callTool({ name: 'get_traces', arguments: { filter_expression: 'annotation.x = 1' } });
    assert.equal(badFilter.isError, true, 'an unsupported filter expression is a tool error');

    const bad = await client.callTool({ name: 'query_logs', arguments: { mode: 'everything' } });
    assert.equal(bad.isError, true, 'a bad mode is a tool error');
    assert.match(bad.content[0].text, /mode "everything" is not known/);

    const badTime = await client.callTool({ name: 'query_logs', arguments: { start: '2026-11-20T10:00:00Z', end: '2026-11-20T09:00:00Z' } });
    assert.equal(badTime.isError, true, 'end before start is a tool error');
    assert.match(badTime.content[0].text, /before start/);
  } finally {
    await client.close();
  }
}

test('stdio', async () => {
  const transport = new StdioClientTransport({
    command: bin,
    args: ['serve', '--snapshot', demo, '--log-level', 'warn'],
    stderr: 'inherit',
  });
  await exercise(transport, 'stdio');
});

test('streamable HTTP with a bearer token', async () => {
  const token = 'e2e-secret-token';
  const server = spawn(bin, ['serve', '--snapshot', demo, '--http', '127.0.0.1:0'], {
    env: { ...process.env, FA2_HTTP_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 15000);
      server.stderr.on('data', (chunk) => {
        log += chunk;
        const m = log.match(/url=(http:\/\/\S+\/mcp)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
    });

    const denied = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(denied.status, 401, 'no token is refused');
    const wrong = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' });
    assert.equal(wrong.status, 401, 'a wrong token is refused');

    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await exercise(transport, 'http');
  } finally {
    server.kill('SIGTERM');
  }
});
