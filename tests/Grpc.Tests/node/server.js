// @grpc/grpc-js serving publicsafety.testing.v1.InteropTest, for our client to call.
// Usage: node server.js <interop_test.proto>   Prints "LISTENING <port>", then "CANCELLED <method>" whenever a client cancels.
'use strict';
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(process.argv[2], { keepCase: true, longs: String, enums: String, defaults: true });
const { InteropTest } = grpc.loadPackageDefinition(definition).publicsafety.testing.v1;
const attempts = new Map();

function echo(name) {
  return (call, callback) => {
    const request = call.request;
    const attempt = (attempts.get(request.key) || 0) + 1;
    if (request.key) attempts.set(request.key, attempt);
    call.on('cancelled', () => console.log(`CANCELLED ${name}`));
    const deadline = call.getDeadline();
    const answer = () => {
      if (call.cancelled) return;
      if (request.fail_code && (!request.fail_times || attempt <= request.fail_times)) {
        callback({ code: request.fail_code, details: request.fail_message });
        return;
      }
      const auth = call.metadata.get('authorization');
      const custom = call.metadata.get('x-custom');
      callback(null, {
        payload: request.reply_size ? Buffer.alloc(request.reply_size, 0x62) : request.payload,
        authorization: auth.length ? String(auth[0]) : '',
        attempt,
        deadline_remaining_ms: deadline instanceof Date || typeof deadline === 'number'
          ? String(Math.round(new Date(deadline).getTime() - Date.now())) : '-1',
        custom_header: custom.length ? String(custom[0]) : '',
      });
    };
    if (request.delay_ms) setTimeout(answer, request.delay_ms); else answer();
  };
}

function count(call) {
  const request = call.request;
  let n = 0;
  call.on('cancelled', () => console.log('CANCELLED Count'));
  const next = () => {
    if (call.cancelled) return;
    if (n >= request.count) {
      if (request.fail_code) call.emit('error', { code: request.fail_code, details: request.fail_message });
      else call.end();
      return;
    }
    call.write({ n: ++n });
    setTimeout(next, request.interval_ms || 0);
  };
  next();
}

const server = new grpc.Server();
server.addService(InteropTest.service, { Echo: echo('Echo'), Update: echo('Update'), Count: count });
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) { console.error(error); process.exit(1); }
  console.log(`LISTENING ${port}`);
});
process.on('SIGTERM', () => server.forceShutdown());
