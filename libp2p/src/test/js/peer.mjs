// A js-libp2p peer for gossipnet's interop tests. It prints one JSON object per line on stdout
// (events and command results) and reads one JSON command per line on stdin; it exits when stdin
// closes. Start: node peer.mjs '{"seed":"<64 hex>","listen":"/ip4/127.0.0.1/tcp/0","monitor":true}'
import './node20-polyfills.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { http } from '@libp2p/http'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'
import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'

const ECHO = '/gossipnet/echo/1.0.0'
const opts = JSON.parse(process.argv[2] ?? '{}')
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const config = {
  addresses: { listen: [opts.listen ?? '/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), identifyPush: identifyPush(), ping: ping(), http: http() }
}
if (opts.seed) config.privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(opts.seed, 'hex'))
if (opts.monitor === false) config.connectionMonitor = { enabled: false }
const node = await createLibp2p(config)

async function readAll (stream, limit) {
  const chunks = []
  let n = 0
  for await (const buf of stream) {
    const b = buf.subarray()
    chunks.push(b)
    n += b.length
    if (limit != null && n >= limit) break
  }
  return Buffer.concat(chunks)
}

async function sendAll (stream, data) {
  for (let off = 0; off < data.length; off += 65536) {
    if (!stream.send(data.subarray(off, Math.min(off + 65536, data.length)))) await stream.onDrain()
  }
}

await node.handle(ECHO, async (stream) => {
  for await (const buf of stream) {
    if (!stream.send(buf)) await stream.onDrain()
  }
  await stream.close()
}, { maxInboundStreams: 256, maxOutboundStreams: 256 })

node.services.http.handle('/gossipnet/hello/1.0.0', {
  path: '/hello',
  method: ['GET'],
  handler: async () => new Response('hello from js', { status: 200, headers: { 'x-peer': 'js' } })
})
node.services.http.handle('/gossipnet/echo-http/1.0.0', {
  path: '/echo',
  method: ['POST'],
  handler: async (req) => {
    const body = await req.text()
    return new Response('echo:' + body, { status: 201, headers: { 'x-echo-length': String(body.length) } })
  }
})

node.addEventListener('peer:identify', (evt) => {
  const d = evt.detail
  out({
    event: 'identify',
    peerId: d.peerId.toString(),
    protocolVersion: d.protocolVersion,
    agentVersion: d.agentVersion,
    protocols: d.protocols,
    listenAddrs: d.listenAddrs.map(a => a.toString()),
    observedAddr: d.observedAddr?.toString(),
    signedPeerRecord: d.signedPeerRecord != null
  })
})
node.addEventListener('connection:open', (evt) => {
  const c = evt.detail
  out({ event: 'connection:open', peerId: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), direction: c.direction, muxer: c.multiplexer })
})
node.addEventListener('connection:close', (evt) => {
  out({ event: 'connection:close', peerId: evt.detail.remotePeer.toString() })
})

const commands = {
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peerId: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), muxer: c.multiplexer, encryption: c.encryption }
  },
  async ping ({ addr, count }) {
    const rtts = []
    for (let i = 0; i < (count ?? 1); i++) {
      rtts.push(await node.services.ping.ping(multiaddr(addr)))
    }
    return { rtts }
  },
  async echo ({ addr, size, streams }) {
    const ma = multiaddr(addr)
    const one = async () => {
      const data = randomBytes(size)
      const stream = await node.dialProtocol(ma, ECHO)
      const reading = readAll(stream)
      await sendAll(stream, data)
      await stream.close()
      const back = await reading
      if (!data.equals(back)) throw new Error(`echo mismatch: sent ${data.length} bytes, got ${back.length}`)
      return back.length
    }
    const results = await Promise.all(Array.from({ length: streams ?? 1 }, one))
    return { bytes: results.reduce((a, b) => a + b, 0), streams: results.length }
  },
  async fetch ({ addr, path, method, body, headers }) {
    const target = multiaddr(addr + '/http-path/' + encodeURIComponent(path.replace(/^\//, '')))
    const res = await node.services.http.fetch(target, { method: method ?? 'GET', body, headers })
    const text = await res.text()
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: text }
  },
  async connections () {
    return { connections: node.getConnections().map(c => ({ peerId: c.remotePeer.toString(), status: c.status, remoteAddr: c.remoteAddr.toString() })) }
  },
  async hangup ({ peerId }) {
    for (const c of node.getConnections()) if (c.remotePeer.toString() === peerId) await c.close()
    return {}
  },
  async protocols ({ peerId }) {
    const peer = await node.peerStore.get(peerIdFromString(peerId))
    return { protocols: peer.protocols }
  },
  async handle ({ protocol }) {
    await node.handle(protocol, async (stream) => { await stream.close() })
    return {}
  }
}

out({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  let msg
  try { msg = JSON.parse(line) } catch { return }
  const fn = commands[msg.cmd]
  if (!fn) { out({ id: msg.id, ok: false, error: 'unknown command ' + msg.cmd }); return }
  try {
    out({ id: msg.id, ok: true, ...(await fn(msg)) })
  } catch (err) {
    out({ id: msg.id, ok: false, error: String(err?.stack ?? err) })
  }
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
