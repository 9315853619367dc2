"""汽车三包: a vehicle's repair history and the customer's rights under
家用汽车产品修理、更换、退货责任规定 (2021 revision)."""
