// Runs the test API server on its own, for trying clients by hand:
//   node --import tsx test/apiserver/main.ts --profile openshift3 --port 0 [--delay-ms 50]
// prints the kubeconfig path on stdout and serves until interrupted.
import { parseArgs } from 'node:util';
import { startApiServer, type Profile } from './index.js';

const PROFILES: Profile[] = ['kubernetes', 'openshift3', 'openshift4'];

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'openshift3' },
    port: { type: 'string', default: '0' },
    'delay-ms': { type: 'string', default: '0' },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const profile = values.profile as Profile;
if (!PROFILES.includes(profile)) {
  console.error(`--profile: must be one of ${PROFILES.join(', ')}, not "${values.profile}"`);
  process.exit(2);
}
const port = Number(values.port);
const delayMs = Number(values['delay-ms']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: not a port number: "${values.port}"`);
  process.exit(2);
}
if (!Number.isFinite(delayMs) || delayMs < 0) {
  console.error(`--delay-ms: not a number of milliseconds: "${values['delay-ms']}"`);
  process.exit(2);
}

const api = await startApiServer({ profile, port, delayMs });
console.log(api.kubeconfigPath);
console.error(`serving ${profile} at ${api.url}; Ctrl-C to stop`);
if (values.verbose) {
  // Log requests once answered, in order.
  let seen = 0;
  setInterval(() => {
    while (seen < api.requests.length && api.requests[seen].status) {
      const r = api.requests[seen++];
      console.error(`${r.status} ${r.method} ${r.path}`);
    }
  }, 200).unref();
}
const stop = () => void api.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
