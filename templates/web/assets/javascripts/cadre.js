// The page frame's scripts, in a file rather than inline: the Content Security Policy of the pages
// (bulletin/csp.py) runs no inline script. Loaded just before Material's bundle (templates/web/main.html).

// Material's partials/javascripts/base.html (9.8.2), with the site's root from this file's address
// (assets/javascripts/) instead of the page's base_url: tests/test_hostile_html.py compares them.
__md_scope=new URL(new URL("../..",document.currentScript.src),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};

// Material's partials/javascripts/content.html (9.8.2): a content tab named in the address opens.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
