<html>
<head>
<title>Gaceta Municipal - Tonanitla</title>
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
<font face="Arial" size="3" color="#006633"><b>GACETA MUNICIPAL</b></font>
<p><font face="Arial" size="2"><i>Pr&oacute;ximamente...</i></font></p>
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
