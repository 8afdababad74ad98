Q5124norld
b a BC-NL--TallmarkBridge Kill   12-01 0024
^BC-NL--Tallmark Bridge, Kill,24<
^KILL<
^Eds: Mandatory kill. The story named the wrong bridge. A new story will follow.<
	   TALLMARK, Norland (FP) _ Fictional Press has withdrawn its story on the closing of the Tallmark harbour bridge. Make sure it is not published. 
 

	   FP-WF-12-01-26 1610GMT<
