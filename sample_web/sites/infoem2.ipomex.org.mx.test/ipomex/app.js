// IPOMEX 4.0 replica: a hash-routed single-page app that builds its table from JSON.
(function () {
  function fecha(iso) { if (!iso) { return ""; } var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
  function render() {
    var app = document.getElementById("app");
    var m = location.hash.match(/^#\/obligaciones\/(\d+)/);
    if (!m) { app.textContent = "Seleccione un sujeto obligado."; return; }
    fetch("api/obligaciones/" + m[1] + ".json").then(function (r) { return r.json(); }).then(function (data) {
      app.innerHTML = "";
      var h = document.createElement("h2"); h.textContent = data.sujeto + " - Obligaciones de transparencia";
      app.appendChild(h);
      var t = document.createElement("table"), head = document.createElement("tr");
      ["Artículo / fracción", "Formato", "Descripción", "Número de registros", "Periodo que se informa",
       "Fecha de actualización", "Fecha de validación", "Área responsable", "Nota"].forEach(function (x) {
        var th = document.createElement("th"); th.textContent = x; head.appendChild(th); });
      t.appendChild(head);
      data.o.forEach(function (o) {
        var tr = document.createElement("tr");
        cell(tr, "Artículo " + o.art + ", fracción " + o.fr); cell(tr, o.fmt || "—"); cell(tr, o.desc);
        cell(tr, String(o.n)); cell(tr, o.per); cell(tr, fecha(o.fa)); cell(tr, fecha(o.fv)); cell(tr, o.ar);
        cell(tr, o.nota || ""); t.appendChild(tr);
      });
      app.appendChild(t);
    });
  }
  window.addEventListener("hashchange", render);
  render();
})();
