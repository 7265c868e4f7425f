// A js-libp2p GossipSub peer for gossipnet's pubsub interop tests. One JSON object per line on
// stdout (events and command results), one JSON command per line on stdin; exits when stdin closes.
// Start: node peer.mjs '{"seed":"<64 hex>","sign":true,"D":6}'
import './node20-polyfills.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'
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
for (const k of ['D', 'Dlo', 'Dhi', 'Dlazy', 'floodPublish', 'heartbeatInterval']) {
  if (opts[k] != null) gsOptions[k] = opts[k]
}
const config = {
  addresses: { listen: [opts.listen ?? '/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping(), pubsub: gossipsub(gsOptions) }
}
if (opts.seed) config.privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(opts.seed, 'hex'))
const node = await createLibp2p(config)
const ps = node.services.pubsub

ps.addEventListener('gossipsub:message', (evt) => {
  const { propagationSource, msgId, msg } = evt.detail
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
    out({ event: name, peerId: id.toString(), topics: items.map(x => x.topicID), backoff: items.map(x => x.backoff ?? null) })
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
  async score ({ peerId }) {
    return { score: ps.score.score(peerId) }
  }
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
