<html>
<head>
<title>Ayuntamiento - Tonanitla</title>
<link href="estilos.css" rel="stylesheet" type="text/css">
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="900" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td bgcolor="#006633" height="90" align="center"><font face="Arial" size="5" color="#FFFFFF"><b>H. AYUNTAMIENTO DE TONANITLA</b></font><br>
    <font face="Arial" size="2" color="#FFFFCC">Estado de M&eacute;xico</font></td>
  </tr>
  <tr>
    <td bgcolor="#CCCC99" align="center"><font face="Verdana" size="2">
      <a href="index.php">Inicio</a> |
      <a href="ayuntamiento.php">Ayuntamiento</a> |
      <a href="noticias.php">Noticias</a> |
      <a href="transparencia.php">Transparencia</a> |
      <a href="directorio.php">Directorio</a> |
      <a href="contacto.php">Contacto</a>
    </font></td>
  </tr>
  <tr>
    <td valign="top" style="padding:10px">
<font face="Arial" size="3" color="#006633"><b>H. AYUNTAMIENTO</b></font>
<p><font face="Arial" size="2">Tonanitla es el municipio numero 125 del Estado de M&eacute;xico, creado en 2003. Su nombre proviene del nahuatl y significa &quot;lugar donde abunda el sol&quot;.</font></p>
<p><font face="Arial" size="2">El Bando Municipal se puede consultar en la Secretaria del Ayuntamiento en horario de oficina. Para cualquier duda sobre tramites acuda a la presidencia municipal.</font></p>
<p><font face="Arial" size="2"><b>Documentos del Ayuntamiento:</b>
 <a href="gaceta.php">Gaceta Municipal</a> &middot; <a href="actas.php?anio=2023">Actas de Cabildo</a> &middot;
 <a href="pdm.php">Plan de Desarrollo Municipal</a></font></p>
    </td>
  </tr>
  <tr>
    <td bgcolor="#006633" align="center"><font face="Arial" size="1" color="#FFFFFF">
      H. Ayuntamiento de Tonanitla, Estado de M&eacute;xico &middot; Correo: <a href="mailto:ayuntamiento@tonanitla.gob.mx.test"><font color="#FFFFCC">ayuntamiento@tonanitla.gob.mx.test</font></a>
      &middot; <a href="https://wa.me/525555550199"><font color="#FFFFCC">WhatsApp Atenci&oacute;n Ciudadana</font></a><br>
      Todos los derechos reservados 2022
    </font></td>
  </tr>
</table>
</body>
</html>
