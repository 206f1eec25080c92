"""What backs a finding for a reviewer: the web archive (WARC/WACZ) and its signing and timestamps, the archive
browser, axe-core accessibility results, screenshots, evidence bundles and their replay (pywb)."""
