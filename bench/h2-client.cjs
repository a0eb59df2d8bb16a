// The floor under a cluster command's start-up: bare Node sending the same GETs over one HTTP/2
// connection, with the kubeconfig's CA and token, and parsing each answer as JSON; nothing else.
// The kubeconfig is the test API server's own, read with regular expressions (no YAML parser).
// Usage: KUBECONFIG=... node bench/h2-client.cjs <file with one path a line>
'use strict';
const fs = require('node:fs');
const http2 = require('node:http2');

const kubeconfig = fs.readFileSync(process.env.KUBECONFIG, 'utf8');
const field = (name) => new RegExp(`${name}: (\\S+)`).exec(kubeconfig)[1];
const ca = Buffer.from(field('certificate-authority-data'), 'base64');
const paths = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);

const session = http2.connect(field('server'), { ca });
let left = paths.length;
for (const path of paths) {
  const stream = session.request({ ':path': path, authorization: `Bearer ${field('token')}`, accept: 'application/json' });
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => (body += d));
  stream.on('end', () => {
    JSON.parse(body);
    if (--left === 0) session.close();
  });
}
