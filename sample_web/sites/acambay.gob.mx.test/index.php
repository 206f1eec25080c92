<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr">
<head>
<meta http-equiv="content-type" content="text/html; charset=iso-8859-1" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<meta name="generator" content="Joomla! - Open Source Content Management" />
<title>Inicio</title>
<link href="/templates/acambay/css/template.css" rel="stylesheet" type="text/css" />
</head>
<body class="site com_content view-featured itemid-101">
<div class="body"><div class="container">
<header class="header">
  <div class="header-inner clearfix">
    <a class="brand pull-left" href="/"><span class="site-title">H. AYUNTAMIENTO DE ACAMBAY DE RUÍZ CASTAÑEDA</span></a>
    <div class="header-search pull-right">
      <div class="moduletable"><a href="https://www.facebook.com/AcambayGobiernoMunicipal" target="_blank"><img src="/images/iconos/facebook.png" alt="Síguenos en Facebook" /></a></div>
    </div>
  </div>
</header>
<nav class="navigation" role="navigation">
  <div class="moduletable_menu" id="position-1">
    <ul class="nav menu nav-pills mod-list">
      <li class="item-101 default"><a href="/index.php">INICIO</a></li>
      <li class="item-102"><a href="/index.php?option=com_content&amp;view=article&amp;id=2&amp;Itemid=102">EL MUNICIPIO</a></li>
      <li class="item-103"><a href="/index.php?option=com_content&amp;view=article&amp;id=5&amp;Itemid=103">AYUNTAMIENTO</a></li>
      <li class="item-106"><a href="/index.php?option=com_content&amp;view=article&amp;id=3&amp;Itemid=106">TURISMO</a></li>
      <li class="item-104"><a href="/index.php?option=com_content&amp;view=category&amp;layout=blog&amp;id=8&amp;Itemid=104">NOTICIAS</a></li>
      <li class="item-105"><a href="/index.php?option=com_content&amp;view=article&amp;id=12&amp;Itemid=105">CONTACTO</a></li>
    </ul>
  </div>
</nav>
<div class="row-fluid">
<main id="content" role="main" class="span9">
<div id="system-message-container"></div>
<div class="blog-featured">
<div class="items-leading">
  <div class="leading-0">
    <h2><a href="/index.php?option=com_content&amp;view=article&amp;id=32&amp;Itemid=104">Inicia la Feria Regional de la Nuez 2026</a></h2>
    <dl class="article-info"><dd class="published">Publicado: 04 Marzo 2026</dd></dl>
    <p>Con la participación de productores locales dio inicio la tradicional feria en la cabecera municipal...</p>
    <p class="readmore"><a class="btn" href="/index.php?option=com_content&amp;view=article&amp;id=32&amp;Itemid=104">Leer más ...</a></p>
  </div>
  <div class="leading-1">
    <h2><a href="/index.php?option=com_content&amp;view=article&amp;id=31&amp;Itemid=104">Rinden protesta Delegados y COPACIS 2025-2027</a></h2>
    <dl class="article-info"><dd class="published">Publicado: 15 Abril 2025</dd></dl>
    <p class="readmore"><a class="btn" href="/index.php?option=com_content&amp;view=article&amp;id=31&amp;Itemid=104">Leer más ...</a></p>
  </div>
</div>
</div>
<div class="moduletable" id="position-3">
  <h3>Bienvenidos</h3>
  <p>Acambay de Ruíz Castañeda, puerta del norte del Estado de México. Gobierno Municipal 2025-2027.</p>
</div>
</main>
<div id="aside" class="span3">
  <div class="moduletable" id="position-7">
    <h3>Síguenos</h3>
    <p><a href="https://www.facebook.com/AcambayGobiernoMunicipal" target="_blank">facebook.com/AcambayGobiernoMunicipal</a></p>
  </div>
  <div class="moduletable" id="position-8">
    <h3>Teléfonos útiles</h3>
    <p>Presidencia: 718 555 0100<br />Protección Civil: 718 555 0111<br />DIF Municipal: 718 555 0122</p>
  </div>
</div>
</div>
</div></div>
<footer class="footer" role="contentinfo">
  <div class="container">
    <hr />
    <p class="pull-right"><a href="#top" id="back-top">Volver arriba</a></p>
    <p>Palacio Municipal s/n, Col. Centro, Acambay de Ruíz Castañeda, Estado de México. Tel. 718 555 0100</p>
    <p><a href="/index.php?option=com_content&amp;view=article&amp;id=23&amp;Itemid=131">Transparencia</a> | <a href="/index.php?option=com_content&amp;view=article&amp;id=40&amp;Itemid=107">Aviso de Privacidad</a> | <a href="/index.php?option=com_content&amp;view=article&amp;id=12&amp;Itemid=105">Contacto</a></p>
    <p>&copy; 2026 H. Ayuntamiento de Acambay de Ruíz Castañeda</p>
  </div>
</footer>
</body>
</html>
