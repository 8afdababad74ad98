Q5205norld
r a BC-NL--KestrelDock   12-02 0042
^BC-NL--Kestrel Dock,42<
^Kestrel dock workers end strike<
	   KESTREL HARBOR, Norland (FP) _ Dock workers at Kestrel Harbor ended their strike on Tuesday after a pay deal, their union said. 
 

	   FP-WF-12-02-26 1015GMT<
