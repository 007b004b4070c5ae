// The page frame's scripts, in a file rather than inline: the Content Security Policy of the pages
// (bulletin/csp.py) runs no inline script. Loaded just before Material's bundle (templates/web/main.html).

// Material's partials/javascripts/base.html (9.8.2), with the site's root from this file's address
// (assets/javascripts/) instead of the page's base_url: tests/test_hostile_html.py compares them.
__md_scope=new URL(new URL("../..",document.currentScript.src),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};

// Material's partials/javascripts/content.html (9.8.2): a content tab named in the address opens.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));

// Search loads when the reader starts searching (see the comment in templates/web/main.html).
(function () {
  try {
    var config = JSON.parse(document.getElementById("__config").textContent)
    var url = function (href) { return new URL(href, document.baseURI).href.split(/[?#]/)[0] }
    var index = url(new URL("search/search_index.json", new URL(config.base, location)))
    var worker = url(config.search)
    var start, started = new Promise(function (resolve) { start = resolve })
    document.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches("[data-md-component=search-query]")) start()
    })
    document.addEventListener("change", function (event) {
      if (event.target.id == "__search" && event.target.checked) start()
    })
    if (/[?&][hq]=/.test(location.search)) start()

    var XHR = XMLHttpRequest.prototype, open = XHR.open, send = XHR.send, held = new WeakSet()
    XHR.open = function (method, href) {
      held[url(href) == index ? "add" : "delete"](this)
      return open.apply(this, arguments)
    }
    XHR.send = function () {
      var xhr = this, args = arguments
      if (!held.has(xhr)) return send.apply(xhr, args)
      started.then(function () { if (held.has(xhr)) send.apply(xhr, args) })
    }

    new EventTarget()  // the stand-in needs it: without it, the worker just starts at load as before
    var Real = Worker
    window.Worker = function (href, options) {
      if (url(href) != worker) return new Real(href, options)
      var standIn = new EventTarget(), real
      var create = function () {
        if (!real) {
          real = new Real(href, options)
          real.onmessage = function (event) {
            standIn.dispatchEvent(new MessageEvent("message", { data: event.data }))
          }
        }
        return real
      }
      standIn.postMessage = function (data) { create().postMessage(data) }
      standIn.terminate = function () { if (real) real.terminate() }
      started.then(create)
      return standIn
    }
  } catch (error) {}
})()
