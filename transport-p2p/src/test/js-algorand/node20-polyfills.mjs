// Node 20 lacks a few ES2024/2025 built-ins js-libp2p 3.x uses; add them before any libp2p module loads.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
if (typeof Set.prototype.difference !== 'function') {
  Set.prototype.difference = function difference (other) {
    const out = new Set()
    for (const v of this) if (!other.has(v)) out.add(v)
    return out
  }
}
