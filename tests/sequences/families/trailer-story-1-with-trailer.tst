Q5201norld
r a BC-NL--ValmoraTram   12-02 0042
^BC-NL--Valmora Tram,42<
^Valmora trams stop for a day<
	   VALMORA, Norland (FP) _ Valmora's trams stopped for the day on Tuesday after a power failure, the city said. 
 

	   FP-WF-12-02-26 1015GMT<
