Q5115norld
u a BC-NL--ValmoraGrainFire   12-01 0041
^BC-NL--Valmora Grain Fire,41<
^Fire breaks out in Valmora grain silo<
	   VALMORA, Norland (FP) _ Fire broke out in a grain silo at Valmora's river port on Tuesday, and firefighters evacuated workers from the surrounding warehouses, the port authority said. 
 
	   Smoke could be seen across the city's southern districts by early afternoon. 
 

	   FP-WF-12-01-26 1301GMT<
