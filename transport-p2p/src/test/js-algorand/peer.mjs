// A js-libp2p peer that speaks go-algorand's P2P network protocol, for gossipnet's transport-p2p and
// node interop tests. One JSON object per line on stdout (events and command results), one JSON
// command per line on stdin; it exits when stdin closes.
// Start: node peer.mjs '{"seed":"<64 hex>","genesis":"testnet-v1"}'
// Options: seed, listen, genesis, version (default "2.2"), acceptVersions (default ["2.2"]),
// telemetryId, instanceName, features (comma-separated).
//
// What it does, as go-algorand does (network/p2pNetwork.go, network/p2p/streams.go, p2pMetainfo.go):
// - the gossip stream /algorand-ws/2.2.0 is opened only by the peer whose ID sorts lower (raw
//   peer-ID bytes), on inbound connections and on the outbound ones the `dial` command made; a
//   stream opened against that rule, or on an outbound connection we did not dial, is reset;
// - the start-of-stream exchange follows the libp2p connection's direction: the side that dialed
//   writes its metadata (2-byte big-endian length + msgpack map[string][]string) first and reads
//   the answer; the other reads, negotiates the version (checkProtocolVersionMatch) and answers
//   with the negotiated version;
// - then messages: 4-byte big-endian length (at most 6 MiB) + 2-byte tag + payload;
// - transactions over GossipSub topic algotx01, StrictNoSign, message ID = BLAKE2b-256(data);
// - an HTTP handler under /algorand-http/1.0.0 (GET /js/hello) and an HTTP client over libp2p
//   (@libp2p/http's; a request with a query is written by hand, see requestWithQuery).
import '../../../../libp2p/src/test/js/node20-polyfills.mjs' // shared with the libp2p module's test peers
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { http } from '@libp2p/http'
import { gossipsub } from '@libp2p/gossipsub'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { blake2b } from '@noble/hashes/blake2.js'
import { createInterface } from 'node:readline'

const GOSSIP_V22 = '/algorand-ws/2.2.0'
const HTTP_PROTOCOL_ID = '/algorand-http/1.0.0'
const TX_TOPIC = 'algotx01'
const MAX_FRAME = 6 * 1024 * 1024
const MAX_KEYS = 64
const MAX_VALUES = 16

const opts = JSON.parse(process.argv[2] ?? '{}')
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const version = opts.version ?? '2.2'
const acceptVersions = opts.acceptVersions ?? ['2.2']

const txMsgId = (msg) => blake2b(msg.data, { dkLen: 32 })
const hex = (b) => Buffer.from(b).toString('hex')
const config = {
  addresses: { listen: [opts.listen ?? '/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    http: http(),
    pubsub: gossipsub({
      globalSignaturePolicy: 'StrictNoSign',
      msgIdFn: txMsgId,
      msgIdToStrFn: hex,
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      // the test peers share 127.0.0.1: do not let IP colocation graylist them
      scoreParams: { IPColocationFactorWeight: 0 }
    })
  }
}
if (opts.seed) config.privateKey = await generateKeyPairFromSeed('Ed25519', Buffer.from(opts.seed, 'hex'))
const node = await createLibp2p(config)
const self = node.peerId.toString()

// --- msgpack map[string][]string, as go-algorand's msgp code writes and reads it ---------------

function msgpackCount (n, fix, fixMax, c16, c32) {
  if (n <= fixMax) return Buffer.from([fix | n])
  const b = Buffer.alloc(n <= 0xffff ? 3 : 5)
  b[0] = n <= 0xffff ? c16 : c32
  if (n <= 0xffff) b.writeUInt16BE(n, 1)
  else b.writeUInt32BE(n, 1)
  return b
}

function msgpackStr (s) {
  const b = Buffer.from(s, 'utf8')
  let head
  if (b.length <= 31) head = Buffer.from([0xa0 | b.length])
  else if (b.length <= 0xff) head = Buffer.from([0xd9, b.length])
  else head = msgpackCount(b.length, 0, -1, 0xda, 0xdb)
  return Buffer.concat([head, b])
}

/** The frame: 2-byte big-endian length + the map, keys in the order given (Go's map order is unspecified). */
function encodeMetadata (entries) {
  const parts = [msgpackCount(entries.length, 0x80, 15, 0xde, 0xdf)]
  for (const [name, values] of entries) {
    parts.push(msgpackStr(name), msgpackCount(values.length, 0x90, 15, 0xdc, 0xdd))
    for (const v of values) parts.push(msgpackStr(v))
  }
  const body = Buffer.concat(parts)
  if (body.length > 0xffff) throw new Error(`metadata of ${body.length} bytes, at most 65535`)
  const len = Buffer.alloc(2)
  len.writeUInt16BE(body.length)
  return Buffer.concat([len, body])
}

/** Decodes the msgpack content of a frame; nil map and nil value lists read as empty. */
function decodeMetadata (buf) {
  let off = 0
  const take = (n) => {
    if (off + n > buf.length) throw new Error('metadata truncated')
    const b = buf.subarray(off, off + n)
    off += n
    return b
  }
  const count = (fix, fixMask, c16, c32, limit, what) => {
    const t = take(1)[0]
    let n
    if (t === 0xc0) n = 0
    else if ((t & ~fixMask) === fix) n = t & fixMask
    else if (t === c16) n = take(2).readUInt16BE(0)
    else if (t === c32) n = take(4).readUInt32BE(0)
    else throw new Error(`metadata: expected a ${what}, got type byte 0x${t.toString(16)}`)
    if (n > limit) throw new Error(`metadata: ${n} ${what} entries, at most ${limit}`)
    return n
  }
  const str = () => {
    const t = take(1)[0]
    let n
    if ((t & 0xe0) === 0xa0) n = t & 0x1f
    else if (t === 0xd9) n = take(1)[0]
    else if (t === 0xda) n = take(2).readUInt16BE(0)
    else if (t === 0xdb) n = take(4).readUInt32BE(0)
    else throw new Error(`metadata: expected a string, got type byte 0x${t.toString(16)}`)
    return take(n).toString('utf8')
  }
  const headers = {}
  const keys = count(0x80, 0x0f, 0xde, 0xdf, MAX_KEYS, 'map')
  for (let k = 0; k < keys; k++) {
    const name = str()
    const n = count(0x90, 0x0f, 0xdc, 0xdd, MAX_VALUES, 'array')
    const values = []
    for (let i = 0; i < n; i++) values.push(str())
    headers[name] = values
  }
  if (off !== buf.length) throw new Error(`metadata: ${buf.length - off} bytes after the map`)
  return headers
}

/** go-algorand's setHeaders for a P2P peer, with canonical (http.Header) names. */
function localMetadata (ourVersion) {
  const entries = [
    ['X-Algorand-Telid', [opts.telemetryId ?? '']],
    ['X-Algorand-Instancename', [opts.instanceName ?? '']],
    ['X-Algorand-Genesis', [opts.genesis ?? '']],
    ['X-Algorand-Peer-Features', [opts.features ?? '']]
  ]
  if (ourVersion !== '') entries.push(['X-Algorand-Version', [ourVersion]])
  entries.push(['X-Algorand-Accept-Version', acceptVersions])
  return encodeMetadata(entries)
}

/** checkProtocolVersionMatch: the first accepted version of the peer we support, else its version if we support it. */
function negotiate (headers) {
  for (const v of headers['X-Algorand-Accept-Version'] ?? []) if (acceptVersions.includes(v)) return v
  const theirs = (headers['X-Algorand-Version'] ?? [])[0] ?? ''
  if (acceptVersions.includes(theirs)) return theirs
  throw new Error(`no common version: peer accepts ${JSON.stringify(headers['X-Algorand-Accept-Version'] ?? [])} and uses ${JSON.stringify(theirs)}; we accept ${JSON.stringify(acceptVersions)}`)
}

// --- the gossip stream ------------------------------------------------------------------------

/** Reads exact byte counts from a stream; null at a clean end before the first byte of a read. */
function byteReader (stream) {
  const it = stream[Symbol.asyncIterator]()
  let buf = Buffer.alloc(0)
  return async (n) => {
    while (buf.length < n) {
      const { value, done } = await it.next()
      if (done) {
        if (buf.length === 0) return null
        throw new Error(`stream ended after ${buf.length} of ${n} bytes`)
      }
      buf = Buffer.concat([buf, Buffer.from(value.subarray())])
    }
    const b = buf.subarray(0, n)
    buf = buf.subarray(n)
    return b
  }
}

async function send (stream, data) {
  if (!stream.send(data)) await stream.onDrain()
}

/** The raw peer-ID bytes compared as go-libp2p compares peer.ID strings. */
const sortsLower = (a, b) => Buffer.compare(Buffer.from(a.toMultihash().bytes), Buffer.from(b.toMultihash().bytes)) < 0

const meshDials = new Set() // peers whose outbound connection the `dial` command made
const streams = new Map() // peer ID -> the live gossip stream

async function runGossipStream (stream, connection, opener) {
  const remote = connection.remotePeer.toString()
  const role = connection.direction === 'outbound' ? 'outgoing' : 'incoming'
  const read = byteReader(stream)
  let headers
  let negotiated
  try {
    if (role === 'outgoing') {
      await send(stream, localMetadata(version))
      headers = await readMetadata(read)
      negotiated = negotiate(headers)
    } else {
      headers = await readMetadata(read)
      negotiated = negotiate(headers)
      await send(stream, localMetadata(negotiated))
    }
  } catch (err) {
    out({ event: 'exchangeFailed', peerId: remote, opener, role, error: String(err?.message ?? err) })
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    return
  }
  streams.get(remote)?.abort(new Error('replaced by a new gossip stream'))
  streams.set(remote, stream)
  out({ event: 'metadata', peerId: remote, opener, role, version: negotiated, headers })
  try {
    for (;;) {
      const len = await read(4)
      if (len == null) break
      const n = len.readUInt32BE(0)
      if (n < 2 || n > MAX_FRAME) throw new Error(`frame of ${n} bytes, must be 2 to ${MAX_FRAME}`)
      const msg = await read(n)
      if (msg == null) throw new Error('stream ended inside a frame')
      out({ event: 'frame', peerId: remote, tag: msg.subarray(0, 2).toString('latin1'), text: msg.subarray(2).toString('utf8'), base64: msg.subarray(2).toString('base64') })
    }
    out({ event: 'streamClosed', peerId: remote })
  } catch (err) {
    out({ event: 'streamClosed', peerId: remote, error: String(err?.message ?? err) })
  } finally {
    if (streams.get(remote) === stream) streams.delete(remote)
  }
}

async function readMetadata (read) {
  const len = await read(2)
  if (len == null) throw new Error('stream ended before the metadata')
  const n = len.readUInt16BE(0)
  const body = n === 0 ? Buffer.alloc(0) : await read(n)
  if (body == null) throw new Error('stream ended inside the metadata')
  return decodeMetadata(body)
}

function refuse (stream, connection, reason) {
  out({ event: 'refused', peerId: connection.remotePeer.toString(), reason })
  stream.abort(new Error(reason))
}

await node.handle(GOSSIP_V22, async (stream, connection) => {
  const remote = connection.remotePeer
  if (connection.direction === 'outbound' && !meshDials.has(remote.toString())) {
    refuse(stream, connection, 'not_our_dial')
    return
  }
  if (sortsLower(node.peerId, remote)) {
    refuse(stream, connection, 'wrong_opener')
    return
  }
  await runGossipStream(stream, connection, 'remote')
}, { maxInboundStreams: 8, maxOutboundStreams: 8 })

node.addEventListener('connection:open', (evt) => {
  const c = evt.detail
  const remote = c.remotePeer.toString()
  out({ event: 'connection:open', peerId: remote, direction: c.direction })
  if (c.direction === 'outbound' && !meshDials.has(remote)) return
  if (!sortsLower(node.peerId, c.remotePeer) || streams.has(remote)) return
  c.newStream([GOSSIP_V22])
    .then((stream) => runGossipStream(stream, c, 'js'))
    .catch((err) => out({ event: 'openFailed', peerId: remote, error: String(err?.message ?? err) }))
})
node.addEventListener('connection:close', (evt) => {
  out({ event: 'connection:close', peerId: evt.detail.remotePeer.toString() })
})

// --- transactions over GossipSub --------------------------------------------------------------

const ps = node.services.pubsub
ps.subscribe(TX_TOPIC)
ps.addEventListener('gossipsub:message', (evt) => {
  const { propagationSource, msgId, msg } = evt.detail
  out({ event: 'tx', topic: msg.topic, source: propagationSource.toString(), msgId, text: Buffer.from(msg.data).toString('utf8'), base64: Buffer.from(msg.data).toString('base64') })
})

// --- HTTP over libp2p -------------------------------------------------------------------------

node.services.http.handle(HTTP_PROTOCOL_ID, {
  path: '/js/hello',
  method: ['GET'],
  handler: async () => new Response('hello from js ' + self, { status: 200, headers: { 'content-type': 'text/plain', 'x-peer': 'js' } })
})

/**
 * One HTTP/1.1 request with a query, written by hand on a /http/1.1 stream: the client of
 * @libp2p/http 2.0.6 (@libp2p/http-fetch's send-request.js) puts only url.pathname in the request
 * line and drops the query. The answer is read to the end of the stream (we send connection: close).
 */
async function requestWithQuery (addr, method, target, text) {
  const connection = await node.dial(multiaddr(addr))
  const stream = await connection.newStream('/http/1.1')
  const body = Buffer.from(text ?? '', 'utf8')
  const head = `${method} ${target} HTTP/1.1\r\nhost: ${connection.remotePeer}\r\nconnection: close\r\n` +
    `content-length: ${body.length}\r\n\r\n`
  const reading = (async () => {
    const chunks = []
    for await (const c of stream) chunks.push(Buffer.from(c.subarray()))
    return Buffer.concat(chunks)
  })()
  await send(stream, Buffer.concat([Buffer.from(head, 'latin1'), body]))
  await stream.close()
  const res = await reading
  const end = res.indexOf('\r\n\r\n')
  if (end < 0) throw new Error(`no HTTP response head in ${res.length} bytes`)
  const [statusLine, ...lines] = res.subarray(0, end).toString('latin1').split('\r\n')
  const headers = {}
  for (const l of lines) {
    const colon = l.indexOf(':')
    headers[l.slice(0, colon).trim().toLowerCase()] = l.slice(colon + 1).trim()
  }
  let rest = res.subarray(end + 4)
  if (headers['content-length'] != null) rest = rest.subarray(0, Number(headers['content-length']))
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.toString('utf8') }
}

const payload = ({ text, base64 }) => base64 != null ? Buffer.from(base64, 'base64') : Buffer.from(text ?? '', 'utf8')

const commands = {
  async dial ({ addr }) {
    const ma = multiaddr(addr)
    const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
    if (id == null) throw new Error('no /p2p/<id> in ' + addr)
    meshDials.add(id)
    const c = await node.dial(ma)
    return { peerId: c.remotePeer.toString() }
  },
  async send ({ peerId, tag, text, base64 }) {
    const stream = streams.get(peerId)
    if (stream == null) throw new Error('no gossip stream to ' + peerId)
    const msg = Buffer.concat([Buffer.from(tag, 'latin1'), payload({ text, base64 })])
    const len = Buffer.alloc(4)
    len.writeUInt32BE(msg.length)
    await send(stream, Buffer.concat([len, msg]))
    return {}
  },
  async streams () {
    return { peers: [...streams.keys()] }
  },
  async publish ({ text, base64 }) {
    const data = payload({ text, base64 })
    const r = await ps.publish(TX_TOPIC, data)
    return { recipients: r.recipients.map(p => p.toString()), msgId: hex(blake2b(data, { dkLen: 32 })) }
  },
  async subscribers () {
    return { peers: ps.getSubscribers(TX_TOPIC).map(p => p.toString()) }
  },
  async fetch ({ addr, path, method, text, headers }) {
    if (path.includes('?')) return requestWithQuery(addr, method ?? 'GET', path, text)
    const target = multiaddr(addr + '/http-path/' + encodeURIComponent(path.replace(/^\//, '')))
    const res = await node.services.http.fetch(target, { method: method ?? 'GET', body: text, headers })
    const body = await res.text()
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body }
  },
  async connections () {
    return { peers: node.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString()) }
  }
}

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
out({ event: 'ready', peerId: self, addrs: node.getMultiaddrs().map(a => a.toString()) })
