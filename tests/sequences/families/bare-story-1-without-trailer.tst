Q5203norld
r a BC-NL--MorkvikMill   12-02 0042
^BC-NL--Morkvik Mill,42<
^Morkvik paper mill to close<
	   MORKVIK, Norland _ Morkvik's paper mill will close in June, its owners said on Tuesday. 
 

	   
