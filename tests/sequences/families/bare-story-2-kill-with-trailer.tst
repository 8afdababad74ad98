Q5204norld
b a BC-NL--MorkvikMill Kill   12-02 0042
^BC-NL--Morkvik Mill, Kill,42<
^KILL<
^Eds: Mandatory kill. The story is withdrawn. Make sure it is not published.<
	   Fictional Press has withdrawn the story. Make sure it is not published. 
 

	   FP-WF-12-02-26 1015GMT<
