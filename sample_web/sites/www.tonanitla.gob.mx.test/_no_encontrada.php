<html>
<head><title>Tonanitla</title></head>
<body bgcolor="#FFFFFF">
<center>
<font face="Arial" size="4" color="#990000"><b>P&aacute;gina no encontrada</b></font><br>
<font face="Arial" size="2">La p&aacute;gina que busca no existe o fue movida. <a href="index.php">Regresar al inicio</a></font>
</center>
</body>
</html>
