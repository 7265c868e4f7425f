// js-to-js bulk throughput over TCP + Noise + Yamux on loopback, for BENCHMARKS.md: two nodes in
// one process, one stream, `mib` MiB pushed to a sink that answers one byte at the end.
// Usage: node bench.mjs [mib]; prints {"mib":..,"seconds":..,"mibPerSecond":..,"cpuMsPerMiB":..}.
import './node20-polyfills.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'

const mib = Number(process.argv[2] ?? 256)
const make = () => createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionMonitor: { enabled: false }
})
const a = await make()
const b = await make()
await b.handle('/bench/sink/1.0.0', async (stream) => {
  let n = 0
  for await (const buf of stream) n += buf.byteLength
  stream.send(Uint8Array.of(n === mib * 1048576 ? 1 : 0))
  await stream.close()
}, { maxInboundStreams: 4 })
const stream = await a.dialProtocol(b.getMultiaddrs()[0], '/bench/sink/1.0.0')
const chunk = new Uint8Array(65536).fill(7)
const start = process.hrtime.bigint()
const cpu0 = process.cpuUsage()
for (let i = 0; i < mib * 16; i++) {
  if (!stream.send(chunk)) await stream.onDrain()
}
await stream.close()
for await (const ack of stream) { if (ack.subarray()[0] !== 1) throw new Error('sink saw the wrong byte count') }
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const cpu = process.cpuUsage(cpu0)
const cpuMsPerMiB = (cpu.user + cpu.system) / 1000 / mib
process.stdout.write(JSON.stringify({ mib, seconds, mibPerSecond: mib / seconds, cpuMsPerMiB }) + '\n')
await a.stop()
await b.stop()
