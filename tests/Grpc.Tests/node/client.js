// Drives @grpc/grpc-js, the reference gRPC implementation, as a client of the server under test.
// Usage: node client.js <spec.json>   Prints one JSON line: an array with the outcome of each call.
// spec: { address, protoFiles: [...], includeDirs: [...], calls: [{ service, method, request, metadata, deadlineMs,
//         cancelAfterMessages, cancelAfterMs, options }] }
// In a request, {"$bytes": N} stands for N bytes and {"$string": N} for a string of N characters.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const definition = protoLoader.loadSync(spec.protoFiles, {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: spec.includeDirs,
});
const loaded = grpc.loadPackageDefinition(definition);

function lookup(path) {
  return path.split('.').reduce((node, part) => node[part], loaded);
}

function expand(value) {
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'number') return Buffer.alloc(value.$bytes, 0x61);
    if (typeof value.$string === 'number') return 'a'.repeat(value.$string);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  }
  return value;
}

function summarize(message) {
  return JSON.parse(JSON.stringify(message, (key, value) =>
    value && value.type === 'Buffer' && Array.isArray(value.data) ? { $bytes: value.data.length } : value));
}

function metadataOf(values) {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(values || {})) metadata.add(key, value);
  return metadata;
}

function run(call) {
  return new Promise((resolve) => {
    const Client = lookup(call.service);
    const client = new Client(spec.address, grpc.credentials.createInsecure(), call.options || {});
    const definitionOfMethod = Client.service[call.method];
    const options = {};
    if (call.deadlineMs) options.deadline = new Date(Date.now() + call.deadlineMs);
    const started = Date.now();
    const outcome = { messages: [] };
    const finish = (error) => {
      outcome.code = error ? error.code : 0;
      outcome.details = error ? error.details : '';
      outcome.elapsedMs = Date.now() - started;
      client.close();
      resolve(outcome);
    };
    const request = expand(call.request || {});
    const metadata = metadataOf(call.metadata);
    if (definitionOfMethod.responseStream) {
      const stream = client[call.method](request, metadata, options);
      stream.on('data', (message) => {
        outcome.messages.push(summarize(message));
        if (call.cancelAfterMessages && outcome.messages.length >= call.cancelAfterMessages) stream.cancel();
      });
      stream.on('error', (error) => finish(error));
      stream.on('end', () => { if (outcome.code === undefined) setImmediate(() => outcome.code === undefined && finish(null)); });
      stream.on('status', (status) => { if (status.code === 0 && outcome.code === undefined) finish(null); });
      if (call.cancelAfterMs) setTimeout(() => stream.cancel(), call.cancelAfterMs);
    } else {
      const unary = client[call.method](request, metadata, options, (error, response) => {
        if (!error) outcome.messages.push(summarize(response));
        finish(error);
      });
      if (call.cancelAfterMs) setTimeout(() => unary.cancel(), call.cancelAfterMs);
    }
  });
}

(async () => {
  const results = [];
  for (const call of spec.calls) results.push(await run(call));
  process.stdout.write(JSON.stringify(results) + '\n');
})().catch((error) => { console.error(error); process.exit(1); });
