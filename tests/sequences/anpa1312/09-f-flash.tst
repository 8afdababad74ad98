Q5133norld
f a BC-NL--PortEllisBlast   12-01 0020
^BC-NL--Port Ellis Blast,20<
^Explosion at Port Ellis fuel depot<
	   PORT ELLIS, Norland (FP) _ An explosion shook the fuel depot at Port Ellis harbour on Tuesday evening, police said. 
 

	   FP-WF-12-01-26 1815GMT<
