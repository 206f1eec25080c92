<html>
<head>
<title>Noticias - Tonanitla</title>
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
<font face="Arial" size="3" color="#006633"><b>NOTICIAS</b></font>
<p><font face="Arial" size="2"><b>Entrega de despensas en Santa Mar&iacute;a Tonanitla</b><br>
<i>14 de agosto de 2023</i><br>
El DIF municipal entrego apoyos alimentarios a familias de la cabecera municipal.</font></p>
<p><font face="Arial" size="2"><b>&lt;script&gt;alert(1)&lt;/script&gt; Convocatoria para el torneo de futbol</b><br>
<i>20 de julio de 2023</i><br>
Se invita a los equipos a inscribirse en la Direcci&oacute;n del Deporte.</font></p>
<p><font face="Arial" size="2"><b>Faena comunitaria en la colonia Los Ac&oacute;cales</b><br>
<i>2 de julio de 2023</i><br>
Vecinos y servidores publicos participaron en la limpieza de canales.</font></p>
<p><font face="Arial" size="1" color="#666666">Ultima actualizaci&oacute;n: 14/08/2023</font></p>
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
