// A js-libp2p GossipSub peer for gossipnet's pubsub interop tests. One JSON object per line on
// stdout (events and command results), one JSON command per line on stdin; exits when stdin closes.
// Start: node peer.mjs '{"seed":"<64 hex>","sign":true,"D":6}'
// Options besides seed/sign/listen/dht: D, Dlo, Dhi, Dscore, Dout, Dlazy, floodPublish, heartbeatInterval,
// doPX, prunePeers, pruneBackoff (ms), directConnectTicks, directPeers (multiaddrs ending in /p2p/<id>),
// acceptPXThreshold.
import './node20-polyfills.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { peerIdFromString, peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'

const opts = JSON.parse(process.argv[2] ?? '{}')
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const gsOptions = {
  globalSignaturePolicy: opts.sign === false ? 'StrictNoSign' : 'StrictSign',
  allowPublishToZeroTopicPeers: true,
  emitSelf: false,
  // many peers share 127.0.0.1 in tests: do not let IP colocation graylist them
  scoreParams: { IPColocationFactorWeight: 0 }
}
for (const k of ['D', 'Dlo', 'Dhi', 'Dscore', 'Dout', 'Dlazy', 'floodPublish', 'heartbeatInterval', 'doPX',
  'prunePeers', 'pruneBackoff', 'directConnectTicks']) {
  if (opts[k] != null) gsOptions[k] = opts[k]
}
if (opts.directPeers != null) {
  gsOptions.directPeers = opts.directPeers.map((a) => {
    const id = a.slice(a.lastIndexOf('/p2p/') + 5)
    return { id: peerIdFromString(id), addrs: [multiaddr(a).decapsulateCode(421)] }
  })
}
if (opts.acceptPXThreshold != null) gsOptions.scoreThresholds = { acceptPXThreshold: opts.acceptPXThreshold }
const config = {
  addresses: { listen: [opts.listen ?? '/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping(), pubsub: gossipsub(gsOptions) }
}
if (opts.dht) {
  // a DHT server (js defaults to client mode) that keeps 127.0.0.1 addresses in its answers
  config.services.dht = kadDHT({
    protocol: opts.dhtProtocol ?? '/ipfs/kad/1.0.0',
    clientMode: false,
    peerInfoMapper: passthroughMapper,
    initialQuerySelfInterval: 500,
    allowQueryWithZeroPeers: true
  })
}
if (opts.seed) config.privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(opts.seed, 'hex'))
const node = await createLibp2p(config)
const ps = node.services.pubsub

// benchmark messages ("bench:<publish time in µs since the epoch>:...") are only counted, not printed
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000)
const benchLatencies = []
ps.addEventListener('gossipsub:message', (evt) => {
  const { propagationSource, msgId, msg } = evt.detail
  if (msg.data.length > 6 && Buffer.from(msg.data.subarray(0, 6)).toString() === 'bench:') {
    const sent = Number(Buffer.from(msg.data.subarray(6, 30)).toString().split(':')[0])
    benchLatencies.push(nowMicros() - sent)
    return
  }
  out({
    event: 'message',
    topic: msg.topic,
    from: msg.type === 'signed' ? msg.from.toString() : null,
    source: propagationSource.toString(),
    msgId,
    data: Buffer.from(msg.data).toString('utf8')
  })
})
ps.addEventListener('gossipsub:graft', (evt) => {
  out({ event: 'graft', peerId: evt.detail.peerId.toString(), topic: evt.detail.topic, direction: evt.detail.direction })
})
ps.addEventListener('gossipsub:prune', (evt) => {
  out({ event: 'prune', peerId: evt.detail.peerId.toString(), topic: evt.detail.topic, direction: evt.detail.direction })
})

// Record every GRAFT and PRUNE js receives, whether or not it changes js's mesh (the
// gossipsub:graft event fires only when it does).
for (const [method, name] of [['handleGraft', 'graftReceived'], ['handlePrune', 'pruneReceived']]) {
  const orig = ps[method].bind(ps)
  ps[method] = async (id, items) => {
    out({
      event: name,
      peerId: id.toString(),
      topics: items.map(x => x.topicID),
      backoff: items.map(x => x.backoff ?? null),
      // PRUNE only: the peers offered by peer exchange, and whether each came with a signed record
      px: items.map(x => (x.peers ?? []).map(pi => ({
        peerId: peerIdFromMultihash(Digest.decode(pi.peerID)).toString(),
        signed: pi.signedPeerRecord != null
      })))
    })
    return orig(id, items)
  }
}

const commands = {
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peerId: c.remotePeer.toString() }
  },
  async subscribe ({ topic }) {
    ps.subscribe(topic)
    return {}
  },
  async publish ({ topic, data }) {
    const r = await ps.publish(topic, Buffer.from(data, 'utf8'))
    return { recipients: r.recipients.map(p => p.toString()) }
  },
  async mesh ({ topic }) {
    return { peers: ps.getMeshPeers(topic).map(p => p.toString()) }
  },
  async subscribers ({ topic }) {
    return { peers: ps.getSubscribers(topic).map(p => p.toString()) }
  },
  async provide ({ text }) {
    await node.contentRouting.provide(await textCid(text))
    return {}
  },
  async findProviders ({ text, timeoutMs }) {
    const found = []
    const signal = AbortSignal.timeout(timeoutMs ?? 10000)
    try {
      for await (const p of node.contentRouting.findProviders(await textCid(text), { signal })) {
        found.push({ id: p.id.toString(), addrs: p.multiaddrs.map(a => a.toString()) })
        break
      }
    } catch (e) {
      if (found.length === 0) throw e
    }
    return { providers: found }
  },
  async findPeer ({ peerId }) {
    const p = await node.peerRouting.findPeer(peerIdFromString(peerId), { signal: AbortSignal.timeout(10000) })
    return { peer: p.id.toString(), addrs: p.multiaddrs.map(a => a.toString()) }
  },
  async routingTable () {
    return { size: node.services.dht.routingTable.size }
  },
  async benchPublish ({ topic, count, size, intervalMs, delayMs }) {
    if (delayMs) await new Promise(resolve => setTimeout(resolve, delayMs))
    for (let i = 0; i < count; i++) {
      if (intervalMs) await new Promise(resolve => setTimeout(resolve, intervalMs))
      const head = Buffer.from(`bench:${nowMicros()}:${i}:`)
      const data = Buffer.alloc(size, 0x61)
      head.copy(data)
      await ps.publish(topic, data)
    }
    return {}
  },
  async benchStats ({ reset }) {
    const latencies = benchLatencies.slice()
    if (reset) benchLatencies.length = 0
    return { latencies }
  },
  async connections () {
    return { peers: node.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString()) }
  },
  async score ({ peerId }) {
    return { score: ps.score.score(peerId) }
  }
}

async function textCid (text) {
  return CID.createV1(raw.code, await sha256.digest(Buffer.from(text, 'utf8')))
}

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  let msg
  try { msg = JSON.parse(line) } catch { return }
  try {
    const r = await commands[msg.cmd](msg)
    out({ id: msg.id, ok: true, ...r })
  } catch (e) {
    out({ id: msg.id, ok: false, error: String(e?.stack ?? e) })
  }
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
out({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })
