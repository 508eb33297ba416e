var Spaces=Spaces||{};Spaces.Blog={init:function(){return true}};
function BlogIt(cns,space){window.open('http://spaces.live.com/BlogIt.aspx?cns='+cns+'&space='+space);}
