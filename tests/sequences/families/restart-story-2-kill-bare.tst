Q5206norld
b a BC-NL--KestrelDock Kill   12-02 0042
^BC-NL--Kestrel Dock, Kill,42<
^KILL<
^Eds: Mandatory kill. The story is withdrawn. Make sure it is not published.<
	   Fictional Press has withdrawn the story. Make sure it is not published. 
 

	   
